"""Данные семинара: маленькая обучающая выборка цифр 8x8 и два зашумлённых кольца.

Ничего не скачивается, и ничего, кроме numpy, не нужно. `digits.npz` — файл семинара 2, фиксированное
стратифицированное разбиение 1797 цифр из scikit-learn; `load_small_digits` оставляет по 20 обучающих
изображений каждой цифры (всего 200), чтобы сеть переобучалась на них за секунды, и валидационные и
тестовые изображения семинара 2. `load_noisy_rings` генерирует два класса двумерных точек с
перекрывающимися радиусами. Обе используют потоки np.random.RandomState, которые numpy сохраняет
одинаковыми во всех версиях: у каждого студента одни и те же изображения и точки.
"""
from pathlib import Path

import numpy as np

DIGITS_FILE = "digits.npz"
SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
SMALL_PER_DIGIT = 20    # сколько обучающих изображений каждой цифры оставить
SMALL_SEED = 2024       # поток, который их выбирает
RING_RADII = (0.5, 1.0)  # средний радиус каждого класса: край диска (класс 0) и кольцо вокруг него (класс 1)
RING_NOISE = 0.15        # разброс радиуса каждой точки вокруг радиуса её класса
RING_POINTS = {"train": 60, "val": 300}  # точек в каждом классе
RING_SEEDS = {"train": 1, "val": 2}


def load_digits_split(path=DIGITS_FILE):
    """Разбиение цифр из семинара 2: словарь массивов SPLIT_KEYS.

    X_*: float64 (n, 64), пиксели в [0, 1], каждое изображение прочитано по строкам; y_*: int64 (n,), метки 0-9.
    1079 обучающих, 359 валидационных и 359 тестовых изображений, каждая цифра разрезана 60 / 20 / 20 отдельно.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} не найден: положите digits.npz рядом с ноутбуком "
                                "(в Colab сначала загрузите его)")
    with np.load(path) as stored:
        missing = [key for key in SPLIT_KEYS if key not in stored.files]
        if missing:
            raise ValueError(f"в {path} нет массива(ов) {', '.join(missing)}: это digits.npz курса?")
        return {key: stored[key] for key in SPLIT_KEYS}


def stratified_subset(y, per_class=SMALL_PER_DIGIT, seed=SMALL_SEED):
    """Отсортированные индексы `per_class` объектов каждого класса y, выбранных без возвращения.

    y: int64 (n,) метки 0..C-1 -> int64 (C * per_class,). Один поток RandomState(seed), класс за классом.
    """
    rng = np.random.RandomState(seed)
    chosen = [rng.choice(np.flatnonzero(y == label), per_class, replace=False) for label in np.unique(y)]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def load_small_digits(path=DIGITS_FILE):
    """Цифры с маленькой обучающей выборкой: словарь массивов SPLIT_KEYS и ещё двух.

    X_train, y_train: 200 обучающих изображений, по 20 каждой цифры, выбранные из 1079 семинара 2;
    X_val, y_val, X_test, y_test: 359 валидационных и 359 тестовых изображений семинара 2;
    X_train_full, y_train_full: 1079 обучающих изображений семинара 2 (200 — среди них).
    Выводит, что загрузила.
    """
    split = load_digits_split(path)
    keep = stratified_subset(split["y_train"])
    data = {**split, "X_train": split["X_train"][keep], "y_train": split["y_train"][keep],
            "X_train_full": split["X_train"], "y_train_full": split["y_train"]}
    print(f"загружены цифры 8x8: {len(data['y_train'])} обучающих изображений (по {SMALL_PER_DIGIT} каждой цифры "
          f"из {len(data['y_train_full']):,}), {len(data['y_val'])} валидационных и {len(data['y_test'])} тестовых изображений")
    return data


def noisy_rings(n_per_class, seed, radii=RING_RADII, noise=RING_NOISE):
    """Два класса вокруг начала координат с перекрывающимися радиусами: точки класса k лежат на радиусе
    radii[k] + N(0, noise^2), под равномерно распределённым углом.

    Возвращает X: float64 (2 n_per_class, 2) и y: int64 (2 n_per_class,), классы идут блоками.
    """
    rng = np.random.RandomState(seed)
    parts = []
    for radius in radii:
        r = radius + noise * rng.randn(n_per_class)
        angle = rng.uniform(0, 2 * np.pi, size=n_per_class)
        parts.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
    y = np.repeat(np.arange(len(radii), dtype=np.int64), n_per_class)
    return np.concatenate(parts).astype(np.float64), y


def load_noisy_rings():
    """Зашумлённые кольца: {"X_train", "y_train", "X_val", "y_val"}, 60 обучающих и 300 валидационных
    точек в каждом классе; X_*: float64 (n, 2), y_*: int64 (n,)."""
    data = {}
    for part, n_per_class in RING_POINTS.items():
        data[f"X_{part}"], data[f"y_{part}"] = noisy_rings(n_per_class, RING_SEEDS[part])
    return data
