"""Данные семинара: цифры 8x8, которые идут вместе с курсом, или MNIST, если его положил преподаватель.

Ничего не скачивается. Каждая функция загрузки возвращает словарь из шести массивов, SPLIT_KEYS:
X_train, X_val, X_test формы (n, pixels) с пикселями в [0, 1], каждая строка — изображение,
прочитанное строка за строкой, и y_train, y_val, y_test формы (n,), метки 0-9 типа int64.
"""
import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
DIGITS_FILE = "digits.npz"
# MNIST в виде четырёх файлов IDX (каждый как есть или .gz) или mnist.npz из Keras.
MNIST_IDX_FILES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
                   "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}
MNIST_NPZ_FILE = "mnist.npz"
MNIST_VALIDATION_FRACTION = 1 / 6  # 10 000 из 60 000 обучающих изображений
MNIST_VALIDATION_SEED = 0
# Третий байт магического числа IDX задаёт тип данных, записанных в порядке big-endian.
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_digits_split(path=DIGITS_FILE):
    """Фиксированное стратифицированное разбиение 1797 цифр 8x8 из scikit-learn: словарь массивов SPLIT_KEYS.

    X_*: float64 (n, 64), пиксели в [0, 1]; y_*: int64 (n,).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} не найден: положите digits.npz рядом с ноутбуком "
                                "(в Colab сначала загрузите его)")
    with np.load(path) as stored:
        missing = [key for key in SPLIT_KEYS if key not in stored.files]
        if missing:
            raise ValueError(f"в {path} нет массивов {', '.join(missing)}: это точно digits.npz курса?")
        return {key: stored[key] for key in SPLIT_KEYS}


def read_idx(path):
    """Массив из файла IDX, сжатого gzip или нет.

    Устройство: байты 0, 0, код типа, число измерений n; затем n размеров uint32 в порядке big-endian;
    затем значения в порядке C. Бросает ValueError, если файл устроен не так.
    """
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":  # собственное магическое число gzip: .gz или нет, решает содержимое
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"{path}: повреждённый файл gzip ({error})") from None
    if len(raw) < 4:
        raise ValueError(f"{path}: {len(raw)} байт, слишком мало для заголовка IDX (нужно хотя бы 4)")
    zero_1, zero_2, type_code, n_dims = struct.unpack(">BBBB", raw[:4])
    if (zero_1, zero_2) != (0, 0):
        raise ValueError(f"{path} — не файл IDX: его магическое число начинается с байтов "
                         f"{zero_1}, {zero_2}, а не 0, 0")
    if type_code not in IDX_TYPES:
        raise ValueError(f"{path}: неизвестный код типа IDX 0x{type_code:02x} "
                         f"(известные: {', '.join(f'0x{code:02x}' for code in IDX_TYPES)})")
    if n_dims == 0:
        raise ValueError(f"{path}: в файле IDX с 0 измерений нет массива")
    header_size = 4 + 4 * n_dims
    if len(raw) < header_size:
        raise ValueError(f"{path}: заголовку с {n_dims} измерениями нужно {header_size} байт, "
                         f"а в файле {len(raw)}")
    shape = struct.unpack(f">{n_dims}I", raw[4:header_size])
    dtype = np.dtype(IDX_TYPES[type_code])
    expected, found = math.prod(shape) * dtype.itemsize, len(raw) - header_size
    if found != expected:
        raise ValueError(f"{path}: форме {shape} с типом {dtype.name} нужно {expected} байт данных, "
                         f"а в файле {found}")
    values = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))  # родной порядок байтов и копия, в которую можно писать


def _idx_files(folder):
    """{роль: путь} файлов IDX из MNIST, которые есть в folder, как есть или сжатые gzip."""
    found = {}
    for role, name in MNIST_IDX_FILES.items():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                found[role] = candidate
                break
    return found


def _flat_pixels(images, where):
    """Изображения uint8 (n, height, width) -> float32 (n, height * width) в [0, 1]."""
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"{where}: ожидались изображения uint8 формы (n, height, width), "
                         f"а получены {images.dtype} формы {images.shape}")
    # float32 вдвое уменьшает память под MNIST (70 000 x 784 значений); слои всё равно считают во float64.
    return images.reshape(len(images), -1).astype(np.float32) / 255


def _mnist_split(train_images, train_labels, test_images, test_labels, where):
    """Словарь SPLIT_KEYS: фиксированная случайная доля MNIST_VALIDATION_FRACTION обучающих изображений — на валидацию."""
    for images, labels, part in ((train_images, train_labels, "обучающих"), (test_images, test_labels, "тестовых")):
        if len(images) != len(labels) or np.ndim(labels) != 1:
            raise ValueError(f"{where}: {len(images)} {part} изображений, но метки формы {np.shape(labels)}")
    X_train, X_test = _flat_pixels(train_images, where), _flat_pixels(test_images, where)
    y_train, y_test = train_labels.astype(np.int64), test_labels.astype(np.int64)
    n_val = int(len(X_train) * MNIST_VALIDATION_FRACTION)
    is_val = np.zeros(len(X_train), dtype=bool)
    is_val[np.random.RandomState(MNIST_VALIDATION_SEED).permutation(len(X_train))[:n_val]] = True
    return {"X_train": X_train[~is_val], "y_train": y_train[~is_val], "X_val": X_train[is_val],
            "y_val": y_train[is_val], "X_test": X_test, "y_test": y_test}


def load_mnist(folder="."):
    """MNIST из четырёх файлов IDX (предпочтительно) или mnist.npz в folder: словарь массивов SPLIT_KEYS.

    X_*: float32 (n, 784), пиксели в [0, 1]; y_*: int64 (n,). Валидация: фиксированная случайная шестая
    часть обучающих изображений (10 000 из 60 000); тест: 10 000 тестовых изображений.
    """
    folder = Path(folder)
    idx_files = _idx_files(folder)
    if len(idx_files) == len(MNIST_IDX_FILES):
        arrays = {role: read_idx(path) for role, path in idx_files.items()}
        return _mnist_split(arrays["train_images"], arrays["train_labels"], arrays["test_images"],
                            arrays["test_labels"], f"файлы IDX из MNIST в {folder}")
    npz = folder / MNIST_NPZ_FILE
    if npz.exists():
        with np.load(npz) as stored:
            missing = [key for key in ("x_train", "y_train", "x_test", "y_test") if key not in stored.files]
            if missing:
                raise ValueError(f"в {npz} нет массивов {', '.join(missing)}: ожидался mnist.npz из Keras")
            return _mnist_split(stored["x_train"], stored["y_train"], stored["x_test"], stored["y_test"], npz)
    if idx_files:
        absent = [f"{name}[.gz]" for role, name in MNIST_IDX_FILES.items() if role not in idx_files]
        raise FileNotFoundError(f"в {folder} есть только часть файлов IDX из MNIST; нет: {', '.join(absent)}")
    raise FileNotFoundError(f"в {folder} нет MNIST: ожидались четыре файла IDX или {MNIST_NPZ_FILE}")


def load_dataset(folder="."):
    """MNIST, если его файлы лежат в folder, иначе цифры 8x8 из digits.npz; печатает, что загружено.

    Возвращает словарь из load_mnist или load_digits_split.
    """
    folder = Path(folder)
    if _idx_files(folder) or (folder / MNIST_NPZ_FILE).exists():
        data, name = load_mnist(folder), "MNIST"
    else:
        data, name = load_digits_split(folder / DIGITS_FILE), "цифры 8x8 из digits.npz"
    side = math.isqrt(data["X_train"].shape[1])
    print(f"загружено: {name}; {len(data['y_train']):,} обучающих, {len(data['y_val']):,} валидационных и "
          f"{len(data['y_test']):,} тестовых изображений из {side}x{side} пикселей")
    return data
