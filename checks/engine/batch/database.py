"""Whether the gradebook's database can be used, said in one line before any grading starts."""


def database_error(db_url, given):
    """The line a command prints when the gradebook at db_url cannot be used, or None: the option
    is named when the instructor gave it (`given`), else the course's setting is."""
    problem = database_problem(db_url)
    if problem is None:
        return None
    return f"error: --db: {problem}" if given else f"error: the course's gradebook: {problem}"


def database_problem(db_url):
    """Why `db_url` names no database this run can use, or None. A sqlite file is not opened here
    (opening would create it); the caller says when it is missing."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    try:
        url = sa.engine.make_url(db_url)
    except sa.exc.ArgumentError:
        return (f"{db_url!r} is not a database URL (such as sqlite:///gradebook.db or "
                "postgresql+psycopg2://USER:PASSWORD@HOST/DATABASE)")
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        return None
    options = {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
    try:
        engine = sa.create_engine(url, poolclass=NullPool, connect_args=options)
    except sa.exc.NoSuchModuleError:
        return f"{shown}: SQLAlchemy has no database kind {url.drivername!r} (use sqlite:/// or postgresql+psycopg2://)"
    except ImportError as error:
        if url.drivername == "postgresql":
            return (f"{shown}: SQLAlchemy reads a bare postgresql:// as psycopg 3, which is not installed: "
                    "write postgresql+psycopg2://...")
        return f"{shown}: the database driver is not installed ({error.name or error})"
    try:
        with engine.connect():
            pass
    except sa.exc.DBAPIError as error:
        reason = str(error.orig or error).strip().splitlines()
        return f"cannot reach the database {shown}: {reason[0] if reason else type(error).__name__}"
    except sa.exc.ArgumentError as error:
        return f"{shown}: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None
