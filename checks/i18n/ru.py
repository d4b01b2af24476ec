"""Russian: every English template of checks.i18n.t, in the words of the field, and the plural rule.

Each value keeps the fields of its key; `{n:балл|балла|баллов}` picks the form of the noun
after n (`plural`). Predicates are in the present tense ("возвращает", not "вернул(а)"), so
they agree with any name of code. tests/test_translation.py holds this catalogue complete: no
template of the code without its translation, no entry without its template.
"""


def plural(n, one, few, many):
    """The Russian form of a noun after the number n: 1 балл, 2 балла, 5 баллов, 2.5 балла."""
    if float(n) != int(n):
        return few
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


MESSAGES = {
    # ---------------------------------------------------------------- checks.kit: expectations
    " (on {arrays})": " (на входе: {arrays})",
    "{name} of shape {shape}": "{name} формы {shape}",
    "{what} is None: did you forget `return`?": "{what} равно None: не забыт ли `return`?",
    "{what} is {value}, expected a numpy array": "{what} — это {value}, а нужен массив numpy",
    "{what} has shape {shape}, the transpose of the expected {expected}{on_input}":
        "{what} имеет форму {shape}, транспонированную к ожидаемой {expected}{on_input}",
    "{what} has shape {shape}, expected {expected}{on_input}":
        "{what} имеет форму {shape}, а ожидалась {expected}{on_input}",
    "{what} is {value}, expected one number{on_input}": "{what} — это {value}, а нужно одно число{on_input}",
    "has the opposite sign": "противоположный знак",
    "is zero everywhere": "всюду ноль",
    "is {c:.4g} times the right value": "верное значение, умноженное на {c:.4g}",
    "{what} is not finite at entry {entry} ({value}){on_input}":
        "{what}: в элементе {entry} не конечное число ({value}){on_input}",
    "is wrong": "неверное значение",
    "{what} {phrase}: at entry {entry} got {got:.6g}, expected {expected:.6g}{on_input}":
        "{what}: {phrase} — в элементе {entry} получено {got:.6g}, а ожидалось {expected:.6g}{on_input}",
    "{what} {phrase}: got {got:.6g}, expected {expected:.6g}{on_input}":
        "{what}: {phrase} — получено {got:.6g}, а ожидалось {expected:.6g}{on_input}",
    "{what} is not finite{on_input}": "{what}: не все элементы конечны{on_input}",
    "disagrees with the numerical gradient": "не совпадает с численным градиентом",
    "{what} {phrase}: relative error {error:.1e} (entry {entry}: got {got:.6g}, expected {expected:.6g}){on_input}":
        "{what}: {phrase} — относительная погрешность {error:.1e} (элемент {entry}: получено {got:.6g}, "
        "а ожидалось {expected:.6g}){on_input}",
    "{what} changed its input array: leave the caller's data as it was (work on a copy, or build a new array)":
        "{what} изменяет входной массив: данные вызывающего кода должны остаться как были (работайте "
        "с копией или создавайте новый массив)",
    "Advice: {message}": "Совет: {message}",

    # ---------------------------------------------------------------- checks.kit: calls of student code
    " (line {line} of {function}: {code})": " (строка {line}, функция {function}: {code})",
    "{what} did not finish in time (an endless loop, or far too slow); it was stopped":
        "{what} не завершается вовремя (бесконечный цикл или слишком медленный код); выполнение остановлено",
    "{what}: {why}": "{what}: {why}",
    "(no message)": "(без сообщения)",
    "{what} is numerically unstable ({message}): {hint}": "{what}: численная неустойчивость ({message}): {hint}",
    "{what} {message}: return numbers, or numpy arrays of numbers":
        "{what} {message}: возвращайте числа или массивы numpy из чисел",
    "{what} multiplied or added arrays whose shapes do not fit{where}: {shapes} (numpy said: {numpy})":
        "{what} перемножает или складывает массивы несовместимых форм{where}: {shapes} (сообщение numpy: {numpy})",
    "{what} raised {error}: {message}{where}": "{what}: исключение {error}: {message}{where}",
    "a function": "функция",
    "a method": "метод",
    "a generator (did you write `yield`?)": "генератор (не написан ли `yield`?)",
    "a class": "класс",
    "a module": "модуль",
    "an array of shape {shape} and dtype {dtype}": "массив формы {shape} с dtype {dtype}",
    "an object of type {kind}": "объект типа {kind}",
    "returned {value}, which cannot be sent back as data":
        "возвращает {value}, а это нельзя передать обратно как данные",
    "passed {value} to the grader's code, which cannot be sent as data":
        "передаёт коду проверяющей программы {value}, а это нельзя передать как данные",
    "passed {value} to the student's code, which cannot be sent as data":
        "передаёт вашему коду {value}, а это нельзя передать как данные",
    "an array of shape {shape} and dtype object (numbers of mixed types, or arrays of different lengths, "
    "put together)":
        "массив формы {shape} с dtype object (смесь чисел разных типов или собранные вместе массивы разной длины)",
    "an array of shape {shape} and dtype {dtype} ({size} MiB), more than the {limit} MiB a value may take":
        "массив формы {shape} с dtype {dtype} ({size} МиБ), больше допустимых для одного значения {limit} МиБ",
    "a value nested more than {depth} levels deep": "значение с вложенностью глубже {depth} уровней",
    "a numpy scalar of type {type}": "скаляр numpy типа {type}",
    "iterated over the rows of its input": "перебирает строки входного массива",
    "indexed its input row by row ({index})": "обращается к входному массиву построчно ({index})",
    "Hidden tests ({points:g} points).": "Скрытые тесты ({points:g} {points:балл|балла|баллов}).",

    # ---------------------------------------------------------------- the grading engine
    "its tests fail": "её тесты не засчитаны",
    "the definitions taken from it were not loaded": "взятые из неё определения не загружены",
    "{names} from {cell}": "{names} ({cell})",
    "{name} is not defined: {reason}": "{name} не определено: {reason}",
    "the sandbox for your code could not be started": "не удалось запустить песочницу для вашего кода",
    "the notebook has no answer cell `{cell}`": "в ноутбуке нет ячейки ответа `{cell}`",
    "in test cell `{cell}`, line {line}: {code}": "ячейка теста `{cell}`, строка {line}: {code}",
    "--- printed by your code ---\n{text}": "--- вывод вашего кода ---\n{text}",
    "Your answers use definitions from your other cells; they were loaded for the tests (definitions only, "
    "the rest of those cells did not run): {taken}.":
        "Ваши ответы используют определения из других ваших ячеек; для тестов они загружены (только "
        "определения, остальной код этих ячеек не выполнялся): {taken}.",
    "{message}\n(at {where})": "{message}\n(место: {where})",
    "\n... ({count} more characters not shown)": "\n... (ещё {count} {count:символ|символа|символов} не показано)",
    "{cell} imports {modules} (the course's reference solutions or grader): answers must be your own code, "
    "so {what}":
        "{cell} импортирует {modules} (эталонные решения курса или проверяющую программу): ответы должны быть "
        "вашим собственным кодом, поэтому {what}",
    "Running the {cell} raised {error}.": "{cell}: при выполнении возникло исключение {error}.",
    "Your answers printed {count:,} characters while being tested; each test shows at most the first 2,000.":
        "Во время тестов ваши ответы вывели {count} {count:символ|символа|символов}; каждый тест показывает не "
        "больше первых 2000.",
    "Your code left {count} process(es) running; they were stopped.":
        "Ваш код оставил работающими процессы ({count}); они остановлены.",
    "your code did not finish within {seconds:g} s (an endless loop, or far too slow); it was stopped":
        "ваш код не завершился за {seconds:g} с (бесконечный цикл или слишком медленный код); выполнение "
        "остановлено",
    "{why} while this test ran": "{why}, пока шёл этот тест",
    "{timeout}\n(the test said: {message})": "{timeout}\n(сообщение теста: {message})",
    "{why:sentence}.": "{why:sentence}.",
    "Stopped for time ({seconds:g} s a test): {tests}; they count 0 for now. A busy machine can be the cause, so "
    "the next grading run grades this notebook again.":
        "Остановлены по времени ({seconds:g} с на тест): {tests}; пока они засчитаны как 0. Причиной может быть "
        "загруженная машина, поэтому при следующем запуске проверки этот ноутбук будет проверен заново.",
    "Not run, because grading this notebook took longer than {seconds:g} s in all: {tests}; the next grading run "
    "grades this notebook again.":
        "Не запускались, потому что проверка этого ноутбука заняла в сумме больше {seconds:g} с: {tests}; при "
        "следующем запуске проверки этот ноутбук будет проверен заново.",
    "`{attribute}` of the {kind} object the test handed to your code cannot be set or replaced: use the objects "
    "you are given as they are":
        "атрибут `{attribute}` объекта {kind}, который тест передал вашему коду, нельзя задать или заменить: "
        "пользуйтесь переданными объектами как есть",
    "this part is not graded; its tests fail": "эта часть не проверяется; её тесты не засчитаны",
    "No cell has the id `{cell}`: the cell that defines `{name}` was graded as that answer.":
        "Ни у одной ячейки нет идентификатора `{cell}`: как этот ответ проверена ячейка, где определено `{name}`.",
    "{cell} {why}; {consequence}": "{cell}: {why}; {consequence}",
    "did not finish running within {seconds:g} s": "код не выполнился за {seconds:g} с",
    "the answer cell `{cell}` does not define it": "ячейка ответа `{cell}` его не определяет",
    "looking it up failed ({why})": "получить его не удалось ({why})",
    "not run: grading this notebook took longer than {seconds:g} s in all":
        "тест не запускался: проверка этого ноутбука заняла в сумме больше {seconds:g} с",
    "was running when its process ended ({how})": "выполнялась, когда её процесс завершился ({how})",
    " (the cell raised {error})": " (в ячейке возникло исключение {error})",
    "the process running your code ended ({how})": "процесс, выполнявший ваш код, завершился ({how})",
    "killed by signal {signal}": "завершён сигналом {signal}",
    "exit code {code}": "код выхода {code}",
    "still running": "ещё работает",
    "it was stopped after running out of time": "он остановлен, когда вышло время",
    "it sent an unreadable message ({error})": "он прислал нечитаемое сообщение ({error})",
    "the grading process did not start": "процесс проверки не запустился",
    "did not finish in time (an endless loop?); it was stopped":
        "не завершился вовремя (бесконечный цикл?); выполнение остановлено",
    "its sandbox ended: {how}": "его песочница завершилась: {how}",
    "it stopped answering": "он перестал отвечать",
    "answer cell `{cell}`": "ячейка ответа `{cell}`",
    "read-only cell `{cell}`": "ячейка только для чтения `{cell}`",
    "your cell after `{cell}`": "ваша ячейка после `{cell}`",
    "your cell after `the top of the notebook`": "ваша ячейка в начале ноутбука",
    "the answer cell `{cell}`": "ячейка ответа `{cell}`",
    "the read-only cell `{cell}`": "ячейка только для чтения `{cell}`",
    "line {line} of {cell}, in {function}: {code}": "строка {line}, {cell}, функция {function}: {code}",
    "line {line} of {cell}: {code}": "строка {line}, {cell}: {code}",

    # the report at the top of the autograded notebook, and the tampering it notes
    "### Grading report": "### Отчёт о проверке",
    "Only your answer cells were run, each part of the notebook in a fresh, isolated process ({sandbox}); "
    "the tests came from the course, not from this notebook.":
        "Выполнялись только ваши ячейки ответов, каждая часть ноутбука — в новом изолированном процессе "
        "({sandbox}); тесты взяты из курса, а не из этого ноутбука.",
    "- Nothing unusual happened.": "- Ничего необычного не произошло.",
    "- Warning for the instructor: {warning}": "- Предупреждение для преподавателя: {warning}",
    "bubblewrap": "bubblewrap",
    "no bubblewrap": "без bubblewrap",
    "cgroups ({names})": "cgroups ({names})",
    "no cgroups": "без cgroups",
    "rlimits": "rlimits",
    "(this answer cell was deleted)": "(эта ячейка ответа была удалена)",
    "Cells were moved: grading does not depend on their order.":
        "Ячейки переставлены: на проверку их порядок не влияет.",
    "A cell had the unknown id `{cell}`: it was treated as an ordinary cell.":
        "У ячейки неизвестный идентификатор `{cell}`: она считается обычной ячейкой.",
    "Test cell `{cell}` was deleted: the course's test was run anyway.":
        "Ячейка теста `{cell}` удалена: тест курса всё равно выполнен.",
    "Test cell `{cell}` was edited: the course's version was run instead.":
        "Ячейка теста `{cell}` изменена: вместо неё выполнена версия курса.",
    "Test cell `{cell}` carries tags {tags}: tags are ignored when grading.":
        "У ячейки теста `{cell}` есть теги {tags}: при проверке теги не учитываются.",
    "Read-only cell `{cell}` was edited: the course's version was used.":
        "Ячейка только для чтения `{cell}` изменена: использована версия курса.",
    "Answer cell `{cell}` is missing (deleted, or its id changed).":
        "Нет ячейки ответа `{cell}` (она удалена или у неё изменён идентификатор).",
    "Cell `{cell}` had its grading metadata changed: the course's settings were used.":
        "У ячейки `{cell}` изменены метаданные проверки: использованы настройки курса.",
    "The cell id `{cell}` appears twice; the first cell was used.":
        "Идентификатор ячейки `{cell}` встречается дважды; использована первая ячейка.",
    "Cell `{cell}` was changed into a {kind} cell.": "Ячейка `{cell}` превращена в ячейку типа {kind}.",

    # the student version's stubs (checks.engine.release)
    "# YOUR CODE HERE": "# ВАШ КОД ЗДЕСЬ",
    "YOUR ANSWER HERE": "ВАШ ОТВЕТ ЗДЕСЬ",
    "this cell": "эта ячейка",
    "{name}{where} is not written yet": "{name}{where}: код ещё не написан",

    # the feedback's labels (checks.engine.feedback)
    "feedback": "отзыв о проверке",
    "autograded points": "баллов за автоматическую проверку",
    "written answers": "письменные ответы",
    "not graded yet": "ещё не проверено",
    "(%s points)": "(макс. %s)",
    "late submission penalty": "штраф за опоздание",
    "Test": "Тест",
    "Your written answer": "Ваш письменный ответ",
    "Your answer": "Ваш ответ",
    "Given code": "Готовый код",
    "(top)": "(наверх)",
    "Comment:": "Комментарий:",
    "no answer": "нет ответа",
    "Output as you submitted it: grading did not re-run this cell.":
        "Вывод в том виде, в каком вы его сдали: при проверке эта ячейка не запускалась.",

    # the student's own outputs kept for grading (checks.engine.outputs)
    "(outputs left out here: a notebook keeps {megabytes} MB of its outputs)":
        "(остальной вывод опущен: у тетрадки сохраняется не больше {megabytes} МБ вывода)",

    # ---------------------------------------------------------------- seminar 1: check_gradient
    "that is about EPS = 1e-6, the error of one-sided differences (f(X + EPS) - f(X)) / EPS; use central "
    "differences, (f(X + EPS) - f(X - EPS)) / (2 * EPS)":
        "это около EPS = 1e-6, погрешность односторонней разности (f(X + EPS) - f(X)) / EPS; возьмите "
        "центральную разность, (f(X + EPS) - f(X - EPS)) / (2 * EPS)",
    "that is the largest |2X|: the numerical gradient came out twice the true one, so divide the difference "
    "by 2 * EPS, not by EPS":
        "это наибольшее |2X|: численный градиент получился вдвое больше истинного, так что делите разность "
        "на 2 * EPS, а не на EPS",
    "that is what perturbing every entry of X at once gives: perturb one entry at a time, X[index] + EPS with "
    "the other entries unchanged":
        "так получается, если сдвигать все элементы X сразу: сдвигайте по одному элементу, X[index] + EPS, "
        "не меняя остальных",
    "perturb one entry at a time by +-EPS and divide the difference of f by 2 * EPS":
        "сдвигайте по одному элементу на +-EPS и делите разность значений f на 2 * EPS",
    "check_gradient returned {deviation:.3g} for f(X) = sum(X**2) with its exact gradient 2X, expected below "
    "1e-7: {why}":
        "check_gradient возвращает {deviation:.3g} для f(X) = sum(X**2) с её точным градиентом 2X, а должно "
        "быть меньше 1e-7: {why}",
    "the largest SIGNED deviation: take absolute values first":
        "наибольшее отклонение С УЧЁТОМ ЗНАКА: сначала возьмите модули",
    "a negative number: return the maximum of the absolute deviations":
        "отрицательное число: верните максимум модулей отклонений",
    "the mean of the absolute deviations: return their maximum": "среднее модулей отклонений: верните их максимум",
    "the sum of the absolute deviations: return their maximum": "сумма модулей отклонений: верните их максимум",
    "return the maximum absolute deviation, max |numerical - gradient|":
        "не то: нужно максимальное отклонение по модулю, max |численный - gradient|",
    "check_gradient returned {deviation:.6g} for a gradient with two entries off, by {first:+g} and "
    "{second:+g}, the others exact; expected 0.5. It returned {named}":
        "check_gradient возвращает {deviation:.6g} для градиента, у которого два элемента сдвинуты на "
        "{first:+g} и {second:+g}, а остальные точны; ожидалось 0.5. Это {named}",
    "check_gradient returned {deviation:.3g} for f(X) = X[1, 2]**3 with its exact gradient (zero except at "
    "(1, 2)), expected below 1e-6: perturb one entry at a time, and divide by 2 * EPS":
        "check_gradient возвращает {deviation:.3g} для f(X) = X[1, 2]**3 с её точным градиентом (нулевым всюду, "
        "кроме (1, 2)), а должно быть меньше 1e-6: сдвигайте по одному элементу и делите на 2 * EPS",

    # ---------------------------------------------------------------- seminar 1: Linear
    "Linear(3, 5) has no attribute {name}: store the parameters as self.W and self.b":
        "у Linear(3, 5) нет атрибута {name}: храните параметры в self.W и self.b",
    "Linear(3, 5).b is {b}, expected zeros: start the bias at zero":
        "Linear(3, 5).b равно {b}, а ожидались нули: смещение в начале нулевое",
    "all the weights are equal: draw them at random, which breaks the symmetry between neurons":
        "все веса одинаковы: выбирайте их случайно — это нарушает симметрию между нейронами",
    "std 0.316 is sqrt(0.1): N(0, 0.1^2) means standard deviation 0.1 (variance 0.01), so multiply "
    "np.random.randn(...) by 0.1":
        "std 0.316 — это sqrt(0.1): N(0, 0.1^2) означает стандартное отклонение 0.1 (дисперсию 0.01), так что "
        "умножайте np.random.randn(...) на 0.1",
    "expected mean 0 and standard deviation 0.1: np.random.randn(...) * 0.1":
        "ожидались среднее 0 и стандартное отклонение 0.1: np.random.randn(...) * 0.1",
    "Linear(400, 500).W has mean {mean:.4f} and standard deviation {std:.4f}: {why}":
        "у Linear(400, 500).W среднее {mean:.4f} и стандартное отклонение {std:.4f}: {why}",
    "{share:.1%} of Linear(400, 500).W lies within one standard deviation of 0, where a normal law puts "
    "68.3%: draw from a normal distribution (np.random.randn(...) * 0.1), not a uniform one":
        "в пределах одного стандартного отклонения от 0 лежит {share:.1%} весов Linear(400, 500).W, а по "
        "нормальному закону должно быть 68.3%: берите веса из нормального распределения "
        "(np.random.randn(...) * 0.1), а не из равномерного",
    "X is {X}, W is {W} and b is {b}, so Y = X @ W + b is {Y}":
        "X имеет форму {X}, W — {W}, b — {b}, так что Y = X @ W + b имеет форму {Y}",
    "is missing + b": "не прибавлено b",
    "adds b twice": "b прибавлено дважды",
    "uses W.T instead of W: Y = X @ W + b": "используется W.T вместо W: Y = X @ W + b",
    "Linear.forward {loop}: process the whole batch with matrix operations, X @ W + b, not a loop over samples":
        "Linear.forward {loop}: обрабатывайте весь батч матричными операциями, X @ W + b, без цикла по объектам",
    "X is {X}, W is {W} and dL/dY is {R}, so dL/dX = dL/dY @ W.T is {X}, dL/dW = X.T @ dL/dY is {W} and "
    "dL/db, the sum of dL/dY over the batch, is {b}":
        "X имеет форму {X}, W — {W}, dL/dY — {R}, так что dL/dX = dL/dY @ W.T имеет форму {X}, "
        "dL/dW = X.T @ dL/dY — {W}, а dL/db, сумма dL/dY по батчу, — {b}",
    "Linear.backward did not store self.{name}": "Linear.backward не сохраняет self.{name}",
    "is divided by N = {n}: a layer's gradients are sums over the batch (the loss's mean already brings the 1/N)":
        "поделено на N = {n}: градиенты слоя — суммы по батчу (множитель 1/N уже даёт среднее в функции потерь)",
    "dL/db (self.dLdb) has shape {shape}, the shape of dL/dY: sum it over the batch (axis 0) to get "
    "{expected}{note}":
        "dL/db (self.dLdb) имеет форму {shape}, как у dL/dY: просуммируйте по батчу (axis 0) и получите "
        "{expected}{note}",
    "uses the input of an earlier forward call: keep the X of the last one":
        "используется вход одного из прежних вызовов forward: храните X последнего",
    "is dL/dY @ W: multiply by the transpose, dL/dY @ W.T": "это dL/dY @ W: умножайте на транспонированную, dL/dY @ W.T",
    "dL/dX (returned by {name})": "dL/dX (результат {name})",
    "Linear {loop}: use matrix products over the whole batch, not a loop over samples":
        "Linear {loop}: используйте матричные произведения на всём батче, а не цикл по объектам",
    " after step({learning_rate}) with self.dLdW and self.dLdb set":
        " после step({learning_rate}) с заданными self.dLdW и self.dLdb",
    "did not change: step must update W and b": "не изменилось: step должен обновлять W и b",
    "moved along the gradient: subtract it, x <- x - learning_rate * gradient":
        "сдвиг вдоль градиента: его нужно вычитать, x <- x - learning_rate * gradient",
    "moved by the whole gradient: multiply it by learning_rate": "сдвиг на весь градиент: умножьте его на learning_rate",

    # ---------------------------------------------------------------- seminar 1: Sigmoid
    "returns its input: apply 1 / (1 + exp(-X))": "возвращается вход без изменений: примените 1 / (1 + exp(-X))",
    "is 1 / (1 + exp(X)): the sign of X is flipped": "это 1 / (1 + exp(X)): у X перепутан знак",
    "{note}, dL/dY random": "{note}, dL/dY случайный",
    "uses x (1 - x), the derivative at the input; use Y (1 - Y) with Y = sigmoid(x)":
        "используется x (1 - x) — производная по входу; нужно Y (1 - Y), где Y = sigmoid(x)",
    "applies the sigmoid twice: Y from forward already is sigmoid(X), use Y (1 - Y)":
        "сигмоида применена дважды: Y из forward уже равно sigmoid(X), используйте Y (1 - Y)",
    "ignores dL/dY: multiply the local derivative Y (1 - Y) by dLdy":
        "dL/dY не учитывается: умножьте локальную производную Y (1 - Y) на dLdy",
    " for X = {X}": " при X = {X}",
    "exp(-x) is inf for x < -709: compute with exp(-|x|), which never overflows":
        "exp(-x) равно inf при x < -709: считайте через exp(-|x|) — эта экспонента никогда не переполняется",
    "{what} is {value}{note}, not finite: {hint}": "{what} равно {value}{note} — не конечные числа: {hint}",
    "your Sigmoid is right, but numpy warns of an overflow in exp{note}. {hint}.":
        "ваша Sigmoid верна, но numpy предупреждает о переполнении в exp{note}. {hint}.",

    # ---------------------------------------------------------------- seminar 1: NLLLoss
    "picks X[:, y], every label in every row: take one entry per row, log_probs[np.arange(N), y]":
        "берётся X[:, y], все метки в каждой строке: берите по одному элементу из строки, log_probs[np.arange(N), y]",
    "normalises over the batch (axis 0): softmax runs over each row's classes, axis=1":
        "нормировка по батчу (axis 0): softmax считается по классам каждой строки, axis=1",
    "is the sum over the batch: return the mean, the sum divided by N = {n}":
        "это сумма по батчу: верните среднее, сумму, делённую на N = {n}",
    "is divided by N = {n} twice": "дважды поделено на N = {n}",
    " (X of shape {shape}, labels {labels} of dtype {dtype})": " (X формы {shape}, метки {labels} с dtype {dtype})",
    "{note}; return the mean over the batch": "{note}; верните среднее по батчу",
    "is N = {n} times too large: divide by N, the 1/N of the mean":
        "в N = {n} раз больше нужного: поделите на N, это 1/N из среднего",
    " (X of shape {shape}, labels {labels})": " (X формы {shape}, метки {labels})",
    "builds the one-hot from the predictions (argmax): build it from the labels y":
        "one-hot построен по предсказаниям (argmax): стройте его по меткам y",
    "dL/dX from a second call of NLLLoss.backward": "dL/dX при повторном вызове NLLLoss.backward",
    "{note}; backward must not change what forward stored": "{note}; backward не должен менять то, что сохранил forward",
    " for X = {X}, y = {y}": " при X = {X}, y = {y}",
    "subtract the row maximum before exp, and take log softmax = X - logsumexp(X) instead of log(softmax(X))":
        "вычитайте максимум строки перед exp и берите log softmax = X - logsumexp(X) вместо log(softmax(X))",
    "NLLLoss.forward returned {value}{note}: {hint}": "NLLLoss.forward возвращает {value}{note}: {hint}",
    "NLLLoss.forward returned {value:.6g}{note}, expected {expected:.6g}: {hint}":
        "NLLLoss.forward возвращает {value:.6g}{note}, а ожидалось {expected:.6g}: {hint}",
    "NLLLoss.backward() returned {value}{note}, not finite: {hint}":
        "NLLLoss.backward() возвращает {value}{note} — не конечные числа: {hint}",
    "the loss is right{note}, but numpy warns of an overflow or a log of 0 on the way. {hint}.":
        "значение функции потерь верно{note}, но по ходу вычислений numpy предупреждает о переполнении или "
        "логарифме нуля. {hint}.",

    # ---------------------------------------------------------------- seminar 1: NeuralNetwork
    "with three layers A (x2), B (x3), C (x5), forward(1) should call A.forward(1), B.forward(2), C.forward(6): "
    "each layer gets the previous layer's output; it called {calls}":
        "для трёх слоёв A (x2), B (x3), C (x5) forward(1) должен вызвать A.forward(1), B.forward(2), "
        "C.forward(6): каждый слой получает выход предыдущего; а вызвано {calls}",
    "with three layers A, B, C, backward should call C.backward, B.backward, A.backward, last to first; "
    "it called {calls}":
        "для трёх слоёв A, B, C backward должен вызвать C.backward, B.backward, A.backward, от последнего к "
        "первому; а вызвано {calls}",
    "with three layers A (x2), B (x3), C (x5), backward(1) should call C.backward(1), B.backward(5), "
    "A.backward(15): pass each layer's result to the layer before it; it called {calls}":
        "для трёх слоёв A (x2), B (x3), C (x5) backward(1) должен вызвать C.backward(1), B.backward(5), "
        "A.backward(15): передавайте результат каждого слоя предыдущему слою; а вызвано {calls}",
    "step(0.25) should call step(0.25) once on every layer, A, B and C (layers without W too); it called {calls}":
        "step(0.25) должен вызвать step(0.25) по одному разу у каждого слоя, A, B и C (и у слоёв без W); "
        "а вызвано {calls}",
    "nothing": "ничего",
    " (reference layers 2 -> 4 -> 5 -> 3, X of shape (6, 2), dL/dY random)":
        " (эталонные слои 2 -> 4 -> 5 -> 3, X формы (6, 2), dL/dY случайный)",
    "each layer's output is the next layer's input, and backward goes through them last to first":
        "выход каждого слоя — вход следующего, а backward проходит их от последнего к первому",
    "{note}, layers in a {container}": "{note}, слои в {container}",
    "Linear layer {index} has no dLd{name} after NeuralNetwork.backward: backward must reach every layer":
        "у слоя Linear номер {index} нет dLd{name} после NeuralNetwork.backward: backward должен дойти до каждого слоя",
    "dL/d{name} of Linear layer {index} after NeuralNetwork.backward":
        "dL/d{name} слоя Linear номер {index} после NeuralNetwork.backward",
    "W of Linear layer {index}": "W слоя Linear номер {index}",
    "b of Linear layer {index}": "b слоя Linear номер {index}",
    " after NeuralNetwork.step(0.1)": " после NeuralNetwork.step(0.1)",
    "did not move: step must reach every layer": "не сдвинулось: step должен дойти до каждого слоя",
    "moved twice: call step once on each layer": "сдвинулось дважды: вызывайте step по одному разу у каждого слоя",
    "NeuralNetwork.backward returns None: the parameters' gradients are right, and so is this test, but backward "
    "should also return dL/dX of the network's input (the visible test `neural_network_chain` checks it).":
        "NeuralNetwork.backward возвращает None: градиенты параметров верны, и этот тест пройден, но backward "
        "должен ещё и возвращать dL/dX по входу сети (это проверяет открытый тест `neural_network_chain`).",

    # ---------------------------------------------------------------- seminar 1: train
    "train never called network.step(learning_rate): the parameters never change":
        "train ни разу не вызывает network.step(learning_rate): параметры не меняются",
    "train called {step} with learning_rate = 0.5: pass the learning_rate argument to step":
        "train вызывает {step} при learning_rate = 0.5: передавайте в step аргумент learning_rate",
    "network.forward received {received} samples instead of all {n}: full-batch gradient descent uses the whole "
    "of X in every epoch":
        "network.forward получает {received} {received:объект|объекта|объектов} вместо всех {n}: полный "
        "градиентный спуск в каждой эпохе использует весь X",
    "train returned the losses after each update ([9, 8, 7] for a loss that drops 10, 9, 8 as the network "
    "steps): record each epoch's loss before network.step":
        "train возвращает значения функции потерь после каждого обновления ([9, 8, 7] для потерь, которые "
        "падают 10, 9, 8 с каждым шагом сети): записывайте потери эпохи до network.step",
    "one epoch should call network.forward, loss.forward, loss.backward, network.backward, "
    "network.step(learning_rate), once each; for 3 epochs train called: {calls}":
        "за эпоху нужно вызвать network.forward, loss.forward, loss.backward, network.backward, "
        "network.step(learning_rate), каждый по разу; за 3 эпохи train вызывает: {calls}",
    "train returned {history} for a loss that drops 10, 9, 8 as the network steps; return each epoch's loss, "
    "in order":
        "train возвращает {history} для потерь, которые падают 10, 9, 8 с каждым шагом сети; верните потери "
        "каждой эпохи по порядку",
    "train's loss history": "история потерь train",
    " (reference network 2 -> 4 -> 5 -> 3, 20 samples, lr 0.5, 10 epochs)":
        " (эталонная сеть 2 -> 4 -> 5 -> 3, 20 объектов, lr 0.5, 10 эпох)",
    "train returned None: did you forget `return losses`?": "train возвращает None: не забыт ли `return losses`?",
    "train returned {value}, expected a list of {n} floats, one loss per epoch":
        "train возвращает {value}, а нужен список из {n} чисел float, по значению потерь на эпоху",
    "train returned {count} losses for n_epochs = {n}, expected one per epoch":
        "train возвращает {count} {count:значение|значения|значений} потерь при n_epochs = {n}, а нужно по "
        "одному на эпоху",
    "training did not converge: final loss {final:.4g} (needed <= {max_loss}), accuracy {accuracy:.1%} "
    "(needed >= {min_accuracy:.0%}) with the 2-10-10-3 network, your Linear, Sigmoid, NLLLoss, NeuralNetwork "
    "and train, lr {learning_rate}, {n_epochs} epochs on data.npz. Fix the failing tests above first.":
        "обучение не сошлось: итоговые потери {final:.4g} (нужно <= {max_loss}), доля верных ответов "
        "{accuracy:.1%} (нужно >= {min_accuracy:.0%}) для сети 2-10-10-3 из ваших Linear, Sigmoid, NLLLoss, "
        "NeuralNetwork и train, lr {learning_rate}, {n_epochs} эпох на data.npz. Сначала исправьте "
        "непройденные тесты выше.",

    # ---------------------------------------------------------------- seminar 1: MSELoss
    " (X of shape {X}, one-hot Y of shape {Y})": " (X формы {X}, one-hot Y формы {Y})",
    "{note}; return the sum / N": "{note}; верните сумму / N",
    "is the mean over all N * C = {entries} entries: divide the sum of squares by N = {n} only":
        "это среднее по всем N * C = {entries} элементам: делите сумму квадратов только на N = {n}",
    "is not divided by N = {n}": "не поделено на N = {n}",
    "is half the right value: the derivative of (x - y)^2 is 2 (x - y)":
        "половина верного значения: производная (x - y)^2 равна 2 (x - y)",
    "is divided by N * C = {entries} instead of N = {n}: backward must differentiate forward's sum / N":
        "поделено на N * C = {entries} вместо N = {n}: backward должен дифференцировать сумму / N из forward",

    # ---------------------------------------------------------------- seminar 2: activations
    "{what} has no attribute `{name}`{hint}": "{what}: нет атрибута `{name}`{hint}",
    "{note}, dL/dY random, so it must be used": "{note}, dL/dY случайный, так что его нужно учитывать",
    "{what} is not finite{note}": "{what}: не все элементы конечны{note}",
    "{what} is the local derivative alone: multiply it by the upstream gradient, dL/dX = dL/dY * {name}'(X){note}":
        "{what} — это одна локальная производная: умножьте её на пришедший сверху градиент, "
        "dL/dX = dL/dY * {name}'(X){note}",
    "everywhere": "всюду",
    "where X > 0": "там, где X > 0",
    "where X < 0": "там, где X < 0",
    "{what} is wrong {where}: at X = {x:.4g} it gives dL/dX = {applied:.4g} * dL/dY, but the derivative there "
    "is {true:.4g}{note}":
        "{what}: ошибка {where} — при X = {x:.4g} получается dL/dX = {applied:.4g} * dL/dY, а производная там "
        "равна {true:.4g}{note}",
    "{name}.forward returned its input unchanged{note}: apply the activation":
        "{name}.forward возвращает вход без изменений{note}: примените функцию активации",
    "{name}.forward {loop}: compute elementwise on the whole array (np.maximum, np.where, ...), not in a loop "
    "over samples":
        "{name}.forward {loop}: считайте поэлементно на всём массиве (np.maximum, np.where, ...), а не в цикле "
        "по объектам",
    "{name}.backward {loop}: multiply elementwise on the whole array, not in a loop over samples":
        "{name}.backward {loop}: умножайте поэлементно на всём массиве, а не в цикле по объектам",
    "your {name} gives the right values, but numpy warns of an overflow{note}. {hint}.":
        "ваш {name} даёт верные значения, но numpy предупреждает о переполнении{note}. {hint}.",
    "e^1000 overflows, and inf / inf is nan: use np.tanh, or write tanh with exp(-2|x|), which never overflows":
        "e^1000 переполняется, а inf / inf — это nan: используйте np.tanh или запишите tanh через exp(-2|x|) — "
        "такая экспонента никогда не переполняется",
    "ELU(alpha=0.5).forward computes as if alpha were 1: use self.alpha where X <= 0":
        "ELU(alpha=0.5).forward считает так, будто alpha равно 1: используйте self.alpha там, где X <= 0",
    "exp(1000) is inf, and inf * 0 is nan: take exp of np.minimum(X, 0), which is never above 1 (np.where "
    "computes both branches, so exp(X) also overflows where it is discarded)":
        "exp(1000) равно inf, а inf * 0 — это nan: берите exp от np.minimum(X, 0) — такая экспонента никогда не больше 1 "
        "(np.where вычисляет обе ветви, так что exp(X) переполняется и там, где его результат отбрасывается)",

    # ---------------------------------------------------------------- seminar 2: make_mlp
    "{what} returned a {container} of layers: wrap them in NeuralNetwork(layers)":
        "{what} возвращает слои в {container}: оберните их в NeuralNetwork(layers)",
    "{what}'s result": "результат {what}",
    ": return NeuralNetwork(layers), the given container": ": верните NeuralNetwork(layers), готовый контейнер",
    "{what}'s network.modules is {value}, expected the list of layers":
        "network.modules у результата {what} — это {value}, а нужен список слоёв",
    "activation": "активация",
    "an unknown layer": "неизвестный слой",
    "Linear(400, 300), activation, Linear(300, 100), activation, Linear(100, 10)":
        "Linear(400, 300), активация, Linear(300, 100), активация, Linear(100, 10)",
    "{what} put an activation after the last layer ({structure}): the scores go to NLLLoss raw":
        "{what} ставит активацию после последнего слоя ({structure}): выходы сети должны попадать в NLLLoss без "
        "активации",
    "{what} made the layers {structure}; expected {expected}, calling activation() for each hidden layer":
        "{what} создаёт слои: {structure}; а ожидались {expected}, с вызовом activation() для каждого скрытого "
        "слоя",
    "none": "ни одного",
    "{what} used one activation object for both hidden layers: call activation() once per layer (a shared "
    "object keeps only the last forward pass for backward)":
        "{what} использует один объект активации для обоих скрытых слоёв: вызывайте activation() для каждого "
        "слоя (общий объект хранит для backward только последний прямой проход)",
    "Linear layer {index}": "слой Linear номер {index}",
    "network.forward(X) of make_mlp's network": "network.forward(X) сети из make_mlp",
    " (X of shape (3, 400), its own weights)": " (X формы (3, 400), собственные веса сети)",
    "{what} made the layers {structure}; expected a single Linear(64, 10)":
        "{what} создаёт слои: {structure}; а ожидался один Linear(64, 10)",
    "{what} made {count} layers with weights, expected {expected}":
        "{what} создаёт {count} {count:слой|слоя|слоёв} с весами, а ожидалось {expected}",
    "b of Linear layer {index} is not zero: start every bias at 0":
        "b слоя Linear номер {index} не нулевое: в начале все смещения равны 0",
    "2 / n_in: the variance used as the standard deviation":
        "2 / n_in: дисперсия взята вместо стандартного отклонения",
    "sqrt(1 / n_in), LeCun's": "sqrt(1 / n_in), как в инициализации ЛеКуна",
    "sqrt(2 / (n_in + n_out)), Glorot and Bengio's (Xavier)":
        "sqrt(2 / (n_in + n_out)), как в инициализации Глоро и Бенжио (Xavier)",
    "0.1, seminar 1's": "0.1, как в семинаре 1",
    "; that is {what}": "; это {what}",
    "{name} (shape {shape}) has mean {mean:.4f} and standard deviation {std:.4f}; He initialisation draws from "
    "N(0, 2 / n_in): standard deviation sqrt(2 / {n_in}) = {he:.4f}{hint}":
        "у {name} (форма {shape}) среднее {mean:.4f} и стандартное отклонение {std:.4f}; инициализация He берёт "
        "веса из N(0, 2 / n_in): стандартное отклонение sqrt(2 / {n_in}) = {he:.4f}{hint}",
    "two calls of make_mlp with generators of the same seed gave different weights: draw every weight from rng "
    "(rng.standard_normal or rng.normal), not from np.random":
        "два вызова make_mlp с генераторами с одним и тем же seed дают разные веса: берите каждый вес из rng "
        "(rng.standard_normal или rng.normal), а не из np.random",
    "make_mlp gave the same weights for generators of different seeds: draw them from rng":
        "make_mlp даёт одинаковые веса для генераторов с разными seed: берите их из rng",

    # ---------------------------------------------------------------- seminar 2: iterate_minibatches
    "{what} returned None: did you forget `return`?": "{what} возвращает None: не забыт ли `return`?",
    "{what} returned {value}; return a list of (X_batch, y_batch) pairs":
        "{what} возвращает {value}; верните список пар (X_batch, y_batch)",
    "batch {index} of {what} is {value}, expected a pair (X_batch, y_batch)":
        "батч {index} из {what} — это {value}, а нужна пара (X_batch, y_batch)",
    "batch {index} of {what} holds {first} and {second}, expected two numpy arrays":
        "в батче {index} из {what} лежат {first} и {second}, а нужны два массива numpy",
    "batch {index}'s y_batch has dtype {dtype}: keep the labels' integer dtype{setting}":
        "у y_batch батча {index} dtype {dtype}: сохраняйте целочисленный dtype меток{setting}",
    "batch {index} of {what} has X_batch of shape {X_shape} and y_batch of shape {y_shape}; expected (B, {d}) "
    "and (B,){setting}":
        "в батче {index} из {what} X_batch формы {X_shape} и y_batch формы {y_shape}; а нужны (B, {d}) и "
        "(B,){setting}",
    "the batches have sizes {sizes}: the last, short batch of {short} samples is missing{setting}; keep it, so "
    "that every sample is used":
        "размеры батчей {sizes}: нет последнего, короткого батча из {short} {short:объекта|объектов|объектов}"
        "{setting}; оставьте его, чтобы использовался каждый объект",
    "the last batch is empty (sizes {sizes}){setting}: stop when every sample is in a batch":
        "последний батч пуст (размеры {sizes}){setting}: остановитесь, когда все объекты разложены по батчам",
    "the batches have sizes {sizes}, expected {expected}{setting}":
        "размеры батчей {sizes}, а ожидались {expected}{setting}",
    "batch {index}'s X_batch holds rows that are not rows of X{setting}: take whole rows, X[indices]":
        "в X_batch батча {index} есть строки, которых нет в X{setting}: берите строки целиком, X[indices]",
    "in one epoch, sample(s) {missing} are missing and {repeated} repeated{setting}: every sample must be in "
    "exactly one batch":
        "за одну эпоху пропущены объекты {missing} и повторены {repeated}{setting}: каждый объект должен "
        "попасть ровно в один батч",
    "batch {index}'s y_batch does not hold the labels of its X_batch's rows{setting}: shuffle X and y with one "
    "and the same order":
        "в y_batch батча {index} не метки строк его X_batch{setting}: перемешивайте X и y одной и той же "
        "перестановкой",
    " ({n} samples, batch_size {batch_size})": " ({n} {n:объект|объекта|объектов}, batch_size {batch_size})",
    "iterate_minibatches returned no batches{setting}": "iterate_minibatches не возвращает ни одного батча{setting}",
    "the batches follow the order of X{setting}: shuffle it with rng.permutation(len(X))":
        "батчи идут в порядке X{setting}: перемешайте его с помощью rng.permutation(len(X))",
    "two calls with generators of the same seed gave different orders{setting}: shuffle with the rng argument "
    "(rng.permutation), not with np.random":
        "два вызова с генераторами с одним и тем же seed дают разный порядок{setting}: перемешивайте с помощью "
        "аргумента rng (rng.permutation), а не np.random",
    "generators of different seeds gave the same order{setting}: draw the order from rng":
        "генераторы с разными seed дают одинаковый порядок{setting}: берите порядок из rng",
    "two epochs with the same generator gave the same order{setting}: draw a new order from rng on every call "
    "(do not make a new generator inside)":
        "две эпохи с одним и тем же генератором дают одинаковый порядок{setting}: берите новый порядок из rng "
        "при каждом вызове (не создавайте новый генератор внутри)",

    # ---------------------------------------------------------------- seminar 2: predict and accuracy
    " (scores of shape {shape}: one class per row, the index of its largest score)":
        " (выходы сети формы {shape}: по классу на строку, индекс её наибольшего значения)",
    "predict called network.forward {count} times for a batch of 5: pass the whole X at once":
        "predict вызывает network.forward {count} {count:раз|раза|раз} для батча из 5 объектов: передавайте "
        "весь X сразу",
    " (a 3-6-4 reference network, X of shape (7, 3))": " (эталонная сеть 3-6-4, X формы (7, 3))",
    " for y_true = {y_true}, y_pred = {y_pred} ({dtype})": " при y_true = {y_true}, y_pred = {y_pred} ({dtype})",
    "the number of right predictions: divide by their count": "число верных предсказаний: поделите его на число всех предсказаний",
    "a percentage: return a fraction in [0, 1]": "процент: верните долю в [0, 1]",
    "the error rate: count the samples whose prediction equals the label":
        "доля ошибок: считайте объекты, у которых предсказание совпадает с меткой",
    "the mean of (y_true == y_pred) is wanted": "нужно среднее (y_true == y_pred)",
    "accuracy returned {value:g}{note}, expected {expected:g}: that is {hint}":
        "accuracy возвращает {value:g}{note}, а ожидалось {expected:g}: это {hint}",

    # ---------------------------------------------------------------- seminar 2: fit
    "fit called {name} with arguments of shapes ({shapes}), which failed ({error}: {message}): for each batch, "
    "loss.forward(network.forward(X_batch), y_batch), network.backward(loss.backward()), "
    "network.step(learning_rate)":
        "fit вызывает {name} с аргументами форм ({shapes}), и вызов падает ({error}: {message}): для каждого "
        "батча нужно loss.forward(network.forward(X_batch), y_batch), network.backward(loss.backward()), "
        "network.step(learning_rate)",
    "fit returned {value}; return a dict with the lists 'train_loss' and 'val_accuracy'":
        "fit возвращает {value}; верните словарь со списками 'train_loss' и 'val_accuracy'",
    "fit's history has the keys {keys}; it needs 'train_loss' and 'val_accuracy'":
        "в истории fit ключи {keys}; а нужны 'train_loss' и 'val_accuracy'",
    "history['{key}'] is {value}, expected a list of {n} floats":
        "history['{key}'] — это {value}, а нужен список из {n} чисел float",
    "history['{key}'] has {count} entries for n_epochs = {n}: one per epoch":
        "в history['{key}'] {count} {count:значение|значения|значений} при n_epochs = {n}: нужно по одному на эпоху",
    " (3 epochs of 3 batches, learning_rate {learning_rate})": " (3 эпохи по 3 батча, learning_rate {learning_rate})",
    ": call batches() at the start of every epoch, for that epoch's shuffle":
        ": вызывайте batches() в начале каждой эпохи, чтобы получить её перемешивание",
    "fit called batches() {count} times in {n} epochs{hint}":
        "fit вызывает batches() {count} {count:раз|раза|раз} за {n} {n:эпоху|эпохи|эпох}{hint}",
    "fit called network.step {count} times for {n} epochs of 3 batches: one step per batch":
        "fit вызывает network.step {count} {count:раз|раза|раз} за {n} {n:эпоху|эпохи|эпох} по 3 батча: нужен "
        "один шаг на батч",
    "fit called network.step({step!r}), expected network.step(learning_rate) with learning_rate = "
    "{learning_rate}":
        "fit вызывает network.step({step!r}), а нужно network.step(learning_rate) с learning_rate = "
        "{learning_rate}",
    "after fit the weights differ from those of mini-batch SGD{setting}: for each batch, "
    "loss.forward(network.forward(X_batch), y_batch), network.backward(loss.backward()), "
    "network.step(learning_rate)":
        "после fit веса отличаются от весов мини-батчевого SGD{setting}: для каждого батча нужно "
        "loss.forward(network.forward(X_batch), y_batch), network.backward(loss.backward()), "
        "network.step(learning_rate)",
    "history['val_accuracy'] is {got}, but validate() returned {validation} after the three epochs: record what "
    "validate() returns, once per epoch":
        "history['val_accuracy'] равно {got}, а validate() после трёх эпох возвращала {validation}: записывайте "
        "то, что возвращает validate(), по разу за эпоху",
    "fit called network.step before network.backward(loss.backward()) for a batch{setting}: the step needs the "
    "gradients of this batch":
        "fit вызывает network.step раньше network.backward(loss.backward()) для батча{setting}: шагу нужны "
        "градиенты этого батча",
    "fit called network.backward before loss.backward(){setting}: network.backward(loss.backward()) passes the "
    "loss's gradient back":
        "fit вызывает network.backward раньше loss.backward(){setting}: network.backward(loss.backward()) "
        "передаёт назад градиент функции потерь",
    "fit called validate() before the epoch's batches{setting}: call it after each epoch's last step":
        "fit вызывает validate() до батчей эпохи{setting}: вызывайте её после последнего шага каждой эпохи",
    "fit called validate() after {seen} batches in all, expected after {expected}{setting}: call it once at the "
    "end of every epoch":
        "fit вызывает validate() после {seen} батчей всего, а ожидалось после {expected}{setting}: вызывайте её "
        "один раз в конце каждой эпохи",
    "fit did not call validate() after the last epoch{setting}: call it once at the end of every epoch, after "
    "the epoch's steps":
        "fit не вызывает validate() после последней эпохи{setting}: вызывайте её один раз в конце каждой эпохи, "
        "после шагов эпохи",
    "the last batch's loss": "потери последнего батча",
    "the first batch's loss": "потери первого батча",
    "the sum of the batch losses": "сумма потерь по батчам",
    "history['train_loss'][{index}] is {got:.6g}, but the mean of epoch {epoch}'s batch losses {losses} is "
    "{mean:.6g}{setting}{hint}":
        "history['train_loss'][{index}] равно {got:.6g}, а среднее потерь батчей эпохи {epoch}, {losses}, равно "
        "{mean:.6g}{setting}{hint}",
    ": that is {what}": ": это {what}",
    "training did not converge: the best validation accuracy was {best:.1%} (needed at least "
    "{min_accuracy:.0%}) with a 64-64-10 network of the given Linear layers and your ReLU, your fit, learning "
    "rate {learning_rate}, batches of {batch_size} from your iterate_minibatches, {n_epochs} epochs. Fix the "
    "failing tests above first.":
        "обучение не сошлось: лучшая доля верных ответов на валидации {best:.1%} (нужно не меньше "
        "{min_accuracy:.0%}) для сети 64-64-10 из готовых слоёв Linear и вашего ReLU, вашего fit, скорости "
        "обучения {learning_rate}, батчей по {batch_size} из вашего iterate_minibatches, {n_epochs} эпох. "
        "Сначала исправьте непройденные тесты выше.",
    "after fit the network's weights are not those of mini-batch SGD on the batches that batches() gave it "
    "({epochs} epoch(s), one step of learning rate {learning_rate} per batch, in order): fit must train the "
    "network it is given, on those batches only. Fix the failing tests above first (a wrong ReLU trains other "
    "weights, too).":
        "после fit веса сети не те, что даёт мини-батчевый SGD на батчах, выданных batches() (эпох: {epochs}; "
        "по одному шагу со скоростью обучения {learning_rate} на батч, по порядку): fit должен обучать данную ему "
        "сеть и только на этих батчах. Сначала исправьте непройденные тесты выше (неверный ReLU тоже даёт "
        "другие веса).",
    "epoch {epoch} of iterate_minibatches(X_train, y_train, {batch_size}, rng)":
        "эпоха {epoch} из iterate_minibatches(X_train, y_train, {batch_size}, rng)",
    "{where} is {value}, expected a list of (X_batch, y_batch) pairs":
        "{where} — это {value}, а нужен список пар (X_batch, y_batch)",
    "batch {index} of {what} has X_batch of shape {X_shape} and y_batch of shape {y_shape} and dtype {dtype}; "
    "expected (B, {d}) and integer labels (B,)":
        "батч {index} из {what}: X_batch формы {X_shape} и y_batch формы {y_shape} с типом {dtype}; нужны "
        "(B, {d}) и целочисленные метки (B,)",
    "batch {index} of {what} holds rows that are not rows of X_train: a batch is made of whole rows of the X it "
    "is given, X[indices]":
        "в батче {index} из {what} есть строки, которых нет в X_train: батч составляется из целых строк данного "
        "X, X[indices]",

    # ---------------------------------------------------------------- seminar 2: momentum
    ": call super().__init__(input_size, output_size) first, which makes W and b":
        ": сначала вызовите super().__init__(input_size, output_size), он создаёт W и b",
    "{what}.b is {b}, expected zeros, as Linear makes it": "{what}.b равно {b}, а ожидались нули, как делает Linear",
    " after step {step} of {what} with learning_rate {learning_rate}":
        " после шага {step} у {what} с learning_rate {learning_rate}",
    "v <- {mu} v - learning_rate dL/d{p}, then {p} <- {p} + v": "v <- {mu} v - learning_rate dL/d{p}, затем {p} <- {p} + v",
    "{p} moved like plain SGD{note}: keep the velocity of {p} between steps, {rule}":
        "{p} сдвигается как в обычном SGD{note}: сохраняйте накопленный шаг (velocity) для {p} от одного вызова "
        "step до следующего, {rule}",
    "{p} moved uphill{note}: {rule} (or v <- {mu} v + dL/d{p}, {p} <- {p} - learning_rate v)":
        "{p} сдвигается вверх по склону{note}: {rule} (или v <- {mu} v + dL/d{p}, {p} <- {p} - learning_rate v)",
    "{p} did not move{note}: update it with its velocity":
        "{p} не сдвигается{note}: прибавляйте к нему его накопленный шаг (velocity)",
    "{note}; expected {rule}": "{note}; ожидалось {rule}",
    "{first}. Also: {second}": "{first}. Кроме того, {second}",
    "{what} made its linear layers of the classes {classes}, not with the class it was given: make each with "
    "linear(n_in, n_out) (part 9 passes LinearMomentum, and its network must have momentum)":
        "{what} создал линейные слои классов {classes}, а не переданным ему классом: создавайте каждый через "
        "linear(n_in, n_out) (часть 9 передаёт LinearMomentum, и у её сети должен быть момент)",

    # ---------------------------------------------------------------- seminar 3: optimizers, Adam, weight decay,
    # dropout, batch norm, fit
    " after step {step} of {what}": " после шага {step} {what}",
    "{name} after step {step} of {what}": "{name} после шага {step} {what}",
    "the values did not change{note}: change each value in place (value -= ..., value += ...); `value "
    "= value - ...` makes a new array, and the layer keeps its old one":
        "значения не изменились{note}: меняйте каждое значение на месте (value -= ..., value += ...); "
        "`value = value - ...` создаёт новый массив, а у слоя остаётся старый",
    "{what} {phrase} (seen after step {step}): expected {rule}":
        "{what} {phrase} (видно после шага {step}): ожидалось {rule}",
    "value <- value - learning_rate * gradient": "value <- value - learning_rate * gradient",
    "v <- {mu} v - learning_rate * gradient, then value <- value + v":
        "v <- {mu} v - learning_rate * gradient, затем value <- value + v",
    "moved uphill": "сдвигает значения вверх по склону",
    "ignores learning_rate": "не учитывает learning_rate",
    "moved with momentum 0.9: the default is momentum = 0, plain SGD":
        "делает шаг с моментом 0.9: по умолчанию momentum = 0, обычный SGD",
    "moved like plain SGD: keep a velocity for each parameter between steps":
        "делает шаг как обычный SGD: храните между шагами накопленный шаг (velocity) каждого параметра",
    "ignores its momentum argument (it moved as with momentum 0.9)":
        "не учитывает аргумент momentum (шаг такой же, как с моментом 0.9)",
    "has no bias correction: divide m by 1 - beta1^t and v by 1 - beta2^t":
        "не исправляет смещение: делите m на 1 - beta1^t, а v на 1 - beta2^t",
    "corrects the bias twice: divide m and v by 1 - beta^t once per step":
        "исправляет смещение дважды: делите m и v на 1 - beta^t один раз за шаг",
    "counts t once per parameter: t is the number of steps, raised once per call of step":
        "увеличивает t для каждого параметра: t — число шагов, оно растёт на 1 за вызов step",
    "ignores its beta1 and beta2 arguments": "не учитывает аргументы beta1 и beta2",
    "{what}'s first step is not finite for gradients {gradients}: got {got}":
        "первый шаг {what} не конечен при градиентах {gradients}: получено {got}",
    " (for gradients {gradients} the steps were {steps} times learning_rate)":
        " (при градиентах {gradients} шаги равны learning_rate, умноженной на {steps})",
    "adds eps inside the square root: sqrt(v_hat + eps) is 1e-4 for a gradient of 1e-6, and the step "
    "100 times too small; add eps after the root":
        "прибавляет eps под корнем: sqrt(v_hat + eps) равен 1e-4 при градиенте 1e-6, и шаг в 100 раз "
        "меньше нужного; прибавляйте eps после корня",
    "{what} {phrase}{note}": "{what} {phrase}{note}",
    "{what}'s first step should be learning_rate * m_hat / (sqrt(v_hat) + eps) = learning_rate * g / "
    "(|g| + eps), about learning_rate * sign(g){note}":
        "первый шаг {what} должен быть learning_rate * m_hat / (sqrt(v_hat) + eps) = learning_rate * "
        "g / (|g| + eps), примерно learning_rate * sign(g){note}",
    "{what} changed the values of {name}: weight decay adds to the gradient, and the optimizer moves the weights":
        "{what} меняет значения {name}: затухание весов прибавляется к градиенту, а веса сдвигает оптимизатор",
    "{what} left the gradient of {name} as it was: add strength * W to it in place (gradient += ...; "
    "`gradient = gradient + ...` makes a new array that the layer never sees)":
        "{what} оставляет градиент {name} прежним: прибавляйте к нему strength * W на месте (gradient "
        "+= ...; `gradient = gradient + ...` создаёт новый массив, которого слой не увидит)",
    "{what} added 2 * strength * W to the gradient of {name}: the penalty strength / 2 * sum(W^2) has "
    "the gradient strength * W":
        "{what} прибавляет к градиенту {name} 2 * strength * W: у штрафа strength / 2 * sum(W^2) "
        "градиент strength * W",
    "{what} replaced the gradient of {name} by strength * W: add it to the gradient of the loss":
        "{what} заменяет градиент {name} на strength * W: прибавляйте его к градиенту функции потерь",
    "the gradient of {name} after {what}": "градиент {name} после {what}",
    " (strength {strength}): expected gradient + strength * W":
        " (strength {strength}): ожидалось gradient + strength * W",
    ": that is strength * sum(W^2), without the 1 / 2": ": это strength * sum(W^2), без множителя 1 / 2",
    ": that counts the vectors (biases, gamma, beta) too": ": здесь учтены и векторы (смещения, gamma, beta)",
    "{what} returned the penalty {value:.6g}, expected strength / 2 * (sum of W^2 over the weight "
    "matrices) = {expected:.6g}{hint}":
        "{what} возвращает штраф {value:.6g}, а ожидалось strength / 2 * (сумма W^2 по матрицам "
        "весов) = {expected:.6g}{hint}",
    "{what} changed the gradient of {name}, a vector: decay the weight matrices W (values with two "
    "dimensions) only, not the biases, nor batch norm's gamma and beta":
        "{what} меняет градиент {name}, а это вектор: затухание применяется только к матрицам весов W "
        "(значениям с двумя измерениями), не к смещениям и не к gamma и beta батч-нормализации",
    " (call {n} of forward in training, X of shape {shape})":
        " (вызов forward номер {n} в режиме обучения, X формы {shape})",
    "the kept units are not rescaled: divide them by 1 - p, so that each keeps its expected value":
        "оставленные нейроны не масштабируются: делите их на 1 - p, чтобы каждый сохранял своё "
        "математическое ожидание",
    "the kept units are multiplied by 1 - p: divide by it":
        "оставленные нейроны умножаются на 1 - p: на него нужно делить",
    "it keeps the units it should drop: p is the probability of dropping a unit, keep = rng.random(X.shape) >= p":
        "он оставляет те нейроны, которые должен выключать: p — вероятность выключить нейрон, keep = "
        "rng.random(X.shape) >= p",
    "nothing is dropped in training": "в режиме обучения ничего не выключается",
    "the mask of the first call came again: draw a new one from the layer's rng on every call":
        "маска первого вызова повторилась: при каждом вызове берите новую из rng слоя",
    "the mask is not rng.random(X.shape) >= p from the layer's own generator (np.random, another draw "
    "or a new generator inside give other masks): draw exactly that":
        "маска — не rng.random(X.shape) >= p из собственного генератора слоя (np.random, другой "
        "способ выборки или новый генератор внутри дают другие маски): получайте маску именно так",
    "{what}.forward(X) is wrong{note}: {hint}": "{what}.forward(X) неверен{note}: {hint}",
    "expected X * keep / (1 - p)": "ожидалось X * keep / (1 - p)",
    "{what}.forward {loop}: multiply the whole array by the mask, not in a loop over samples":
        "{what}.forward {loop}: умножайте на маску весь массив, а не в цикле по объектам",
    "is dL/dY unchanged: multiply it by the mask of the last forward call, divided by 1 - p":
        "равен dL/dY без изменений: умножьте его на маску последнего вызова forward, делённую на 1 - p",
    "uses the mask of the first forward call: backward goes with the last forward":
        "использует маску первого вызова forward: backward относится к последнему forward",
    "is not rescaled as the forward pass is: multiply by the mask / (1 - p)":
        "не масштабируется, как в прямом проходе: умножайте на маску / (1 - p)",
    "{note}, the mask of the last forward call fixed": "{note}, маска последнего вызова forward зафиксирована",
    "{what}.backward {loop}: multiply the whole array, not in a loop over samples":
        "{what}.backward {loop}: умножайте весь массив, а не в цикле по объектам",
    " in evaluation (training = False)": " в режиме оценки (training = False)",
    "{what}.forward(X) is X / (1 - p){note}: the rescaling belongs to training; in evaluation Y = X":
        "{what}.forward(X) равен X / (1 - p){note}: масштабирование нужно только при обучении; в режиме оценки Y = X",
    " (it still drops units, as in training)": " (он по-прежнему выключает нейроны, как при обучении)",
    "{what}.forward(X) is not X{note}{hint}: in evaluation (training = False) return X as it is":
        "{what}.forward(X) не равен X{note}{hint}: в режиме оценки (training = False) возвращайте X как есть",
    "{what}.backward(dLdy) is not dL/dY{note}: nothing was dropped, so the gradient passes unchanged":
        "{what}.backward(dLdy) не равен dL/dY{note}: ничего не выключалось, так что градиент проходит без изменений",
    "{what}.forward(X) dropped nothing after training was set back to True: read self.training on every call":
        "{what}.forward(X) ничего не выключает после того, как training снова стал True: читайте "
        "self.training при каждом вызове",
    "{what}.{name} starts at {got}, expected {value:g} for every feature":
        "{what}.{name} в начале равно {got}, а ожидалось {value:g} для каждого признака",
    " in training{note}": " в режиме обучения{note}",
    "uses the unbiased variance (divided by N - 1): batch norm divides by N, X.var(axis=0)":
        "использует несмещённую дисперсию (деление на N - 1): батч-нормализация делит на N, X.var(axis=0)",
    "uses the standard deviation where the variance belongs: divide by sqrt(var + eps)":
        "использует стандартное отклонение там, где нужна дисперсия: делите на sqrt(var + eps)",
    "leaves out gamma and beta: Y = gamma * X_hat + beta": "пропускает gamma и beta: Y = gamma * X_hat + beta",
    "normalises each sample over its features (axis=1): batch norm normalises each feature over the batch (axis=0)":
        "нормирует каждый объект по его признакам (axis=1): батч-нормализация нормирует каждый "
        "признак по батчу (axis=0)",
    "it did not change: update it in every forward call in training":
        "оно не изменилось: обновляйте его при каждом вызове forward в режиме обучения",
    "that is 0.1 * running + 0.9 * batch: momentum = 0.9 is the share of the old average":
        "это 0.1 * running + 0.9 * batch: momentum = 0.9 — доля старого среднего",
    "that is the batch's own statistic: average it, 0.9 * running + 0.1 * batch":
        "это статистика самого батча: усредняйте, 0.9 * running + 0.1 * batch",
    "the unbiased variance: use the batch's variance X.var(axis=0), as the forward pass does":
        "это несмещённая дисперсия: используйте дисперсию батча X.var(axis=0), как в прямом проходе",
    "expected 0.9 * running + 0.1 * batch": "ожидалось 0.9 * running + 0.1 * batch",
    "{what}.{name} after one forward call in training is {got}, expected {expected}: {hint}":
        "{what}.{name} после одного вызова forward в режиме обучения равно {got}, а ожидалось {expected}: {hint}",
    "{what}.forward {loop}: compute the statistics with X.mean(axis=0) and X.var(axis=0), not in a loop over samples":
        "{what}.forward {loop}: считайте статистики через X.mean(axis=0) и X.var(axis=0), а не в цикле по объектам",
    ": store dL/dgamma in backward": ": сохраняйте dL/dgamma в backward",
    ": store dL/dbeta in backward": ": сохраняйте dL/dbeta в backward",
    "is not summed over the batch": "не просуммирован по батчу",
    "uses X instead of X_hat: dgamma = sum over the batch of dL/dY * X_hat":
        "использует X вместо X_hat: dgamma — сумма по батчу dL/dY * X_hat",
    "is the mean over the batch: dbeta is the sum of dL/dY": "равен среднему по батчу: dbeta — сумма dL/dY",
    "treats the batch's mean and variance as constants: in training they depend on every row of X, so "
    "dL/dX has two more terms, inv_std * (dX_hat - mean(dX_hat) - X_hat * mean(dX_hat * X_hat))":
        "считает среднее и дисперсию батча константами: при обучении они зависят от каждой строки X, "
        "поэтому в dL/dX ещё два слагаемых, inv_std * (dX_hat - mean(dX_hat) - X_hat * mean(dX_hat * "
        "X_hat))",
    "misses the term through the variance, - X_hat * mean(dX_hat * X_hat)":
        "пропускает слагаемое через дисперсию, - X_hat * mean(dX_hat * X_hat)",
    "misses the term through the mean, - mean(dX_hat)": "пропускает слагаемое через среднее, - mean(dX_hat)",
    "leaves out gamma: dX_hat = dL/dY * gamma": "пропускает gamma: dX_hat = dL/dY * gamma",
    "{what}.backward {loop}: compute on the whole array with means over axis 0, not in a loop over samples":
        "{what}.backward {loop}: считайте на всём массиве со средними по оси 0, а не в цикле по объектам",
    " in evaluation (training = False){note}": " в режиме оценки (training = False){note}",
    "uses the batch's mean and variance: in evaluation use running_mean and running_var":
        "использует среднее и дисперсию батча: в режиме оценки используйте running_mean и running_var",
    "{what}.{name} changed in evaluation: the running averages move in training only (a validation "
    "batch must not change the network)":
        "{what}.{name} меняется в режиме оценки: скользящие средние обновляются только при обучении "
        "(валидационный батч не должен менять сеть)",
    "uses the training formula: in evaluation the statistics are constants, and dL/dX = dL/dY * gamma "
    "/ sqrt(running_var + eps)":
        "использует формулу режима обучения: в режиме оценки статистики — константы, и dL/dX = dL/dY "
        "* gamma / sqrt(running_var + eps)",
    " in training, for X whose column 1 is constant (variance 0)":
        " в режиме обучения, для X с постоянным столбцом 1 (дисперсия 0)",
    "a feature of zero variance divides by zero: add eps to the variance before the square root, sqrt(var + eps)":
        "признак с нулевой дисперсией приводит к делению на ноль: прибавляйте eps к дисперсии до "
        "извлечения корня, sqrt(var + eps)",
    "{what} is not finite{note}: {hint}": "{what} — не конечное число{note}: {hint}",
    "column 1 of {what}.forward(X)": "столбец 1 {what}.forward(X)",
    "{note}: X_hat is 0 there, so Y = beta; {hint}": "{note}: там X_hat равен 0, так что Y = beta; {hint}",
    "{note} (the other columns)": "{note} (остальные столбцы)",
    " (4 epochs of 3 batches, schedule(epoch) = [0.3, 0.2, 0.1, 0.05][epoch])":
        " (4 эпохи по 3 батча, schedule(epoch) = [0.3, 0.2, 0.1, 0.05][epoch])",
    "fit called schedule {count} times in {n} epochs, once per batch: call it once at the start of "
    "each epoch, schedule(epoch), and use that rate for all the epoch's batches":
        "fit вызывает schedule {count} раз за {n} эпохи, по разу на батч: вызывайте её один раз в "
        "начале каждой эпохи, schedule(epoch), и используйте эту скорость для всех батчей эпохи",
    "fit called schedule with {got}, expected schedule(0), schedule(1), ..., one call per epoch with "
    "the epoch's number from 0{setting}":
        "fit вызывает schedule с {got}, а ожидалось schedule(0), schedule(1), ..., один вызов на "
        "эпоху с номером эпохи, начиная с 0{setting}",
    "fit called batches() {count} times in {n} epochs: once at the start of every epoch":
        "fit вызывает batches() {count} раз за {n} эпохи: нужно по разу в начале каждой эпохи",
    "fit trained in evaluation mode in epoch {epoch}: call network.train() at the start of every "
    "epoch (dropout drops nothing and batch norm uses its running averages in evaluation)":
        "fit обучает в режиме оценки в эпохе {epoch}: вызывайте network.train() в начале каждой эпохи "
        "(в режиме оценки dropout ничего не выключает, а батч-нормализация использует скользящие "
        "средние)",
    "fit called validate() in training mode: call network.eval() first (dropout would drop units and "
    "batch norm would use the batch's statistics and move its averages)":
        "fit вызывает validate() в режиме обучения: сначала вызовите network.eval() (иначе dropout "
        "выключает нейроны, а батч-нормализация берёт статистики батча и сдвигает свои средние)",
    "fit called optimizer.step before network.backward(loss.backward()) for a batch{setting}: the "
    "step needs the gradients of this batch":
        "fit вызывает optimizer.step до network.backward(loss.backward()) для батча{setting}: шагу "
        "нужны градиенты этого батча",
    "fit passed optimizer.step pairs that are not network.params() as they are after this batch's "
    "backward: call network.params() after each backward (every backward makes new gradient arrays) "
    "and pass what it returns":
        "fit передаёт в optimizer.step пары, которые не совпадают с network.params() после backward "
        "этого батча: вызывайте network.params() после каждого backward (каждый backward создаёт "
        "новые массивы градиентов) и передавайте то, что он возвращает",
    "fit called optimizer.step with learning rate {got:g} in epoch {epoch}, expected "
    "schedule({index}) = {expected:g}{setting}":
        "fit вызывает optimizer.step со скоростью обучения {got:g} в эпохе {epoch}, а ожидалось "
        "schedule({index}) = {expected:g}{setting}",
    "after epoch {epoch} the network's weights are not those of one optimizer.step(network.params(), "
    "schedule(epoch)) per batch{setting}: train the network fit is given, with its optimizer, batches and schedule "
    "only":
        "после эпохи {epoch} веса сети не те, что дают по одному optimizer.step(network.params(), schedule(epoch)) "
        "на батч{setting}: обучайте ту сеть, которую получает fit, только её оптимизатором, батчами и расписанием",
    "fit called optimizer.step {count} times for {n} epochs of 3 batches: one step per batch":
        "fit вызывает optimizer.step {count} раз за {n} эпохи по 3 батча: нужен один шаг на батч",
    "fit returned {value}; return a dict with the lists 'train_loss', 'val_loss', 'val_accuracy' and 'learning_rate'":
        "fit возвращает {value}; верните словарь со списками 'train_loss', 'val_loss', 'val_accuracy' "
        "и 'learning_rate'",
    "fit's history has the keys {keys}; it needs 'train_loss', 'val_loss', 'val_accuracy' and 'learning_rate'":
        "в истории fit ключи {keys}; нужны 'train_loss', 'val_loss', 'val_accuracy' и 'learning_rate'",
    ": that is {other}, the other value validate() returns; val_loss, val_accuracy = validate()":
        ": это {other}, другое значение, которое возвращает validate(); val_loss, val_accuracy = validate()",
    "history['{key}'] is {got}, but validate() returned {expected} after the four epochs{hint}":
        "history['{key}'] равно {got}, а validate() после четырёх эпох возвращает {expected}{hint}",
    "history['learning_rate'] is {got}, expected each epoch's schedule(epoch), {expected}":
        "history['learning_rate'] равно {got}, а ожидалось schedule(epoch) каждой эпохи, {expected}",
    ": that is the last batch's loss": ": это потери последнего батча",
    ": that is the sum of the batch losses": ": это сумма потерь по батчам",
    "history['train_loss'][{index}] is {got:.6g}, but the mean of epoch {epoch}'s batch losses is {mean:.6g}{hint}":
        "history['train_loss'][{index}] равно {got:.6g}, а среднее потерь по батчам эпохи {epoch} "
        "равно {mean:.6g}{hint}",
    "fit never called validate(): call it after every epoch":
        "fit ни разу не вызывает validate(): вызывайте её после каждой эпохи",
    "fit restored the best weights only when the optimizer changes the arrays in place: with an "
    "optimizer that gives the layers new arrays, the network does not hold epoch 2's weights at the "
    "end. Copy the best values back into the arrays network.params() lists at the end (value[...] = "
    "best)":
        "fit восстанавливает лучшие веса, только когда оптимизатор меняет массивы на месте: с "
        "оптимизатором, который даёт слоям новые массивы, в конце у сети не веса эпохи 2. В конце "
        "копируйте лучшие значения в массивы из network.params() (value[...] = best)",
    "fit kept the best weights by reference, so they kept changing with training: the network ends "
    "with the last epoch's weights. Keep copies, value.copy(), after the best epoch (epoch 2 here, "
    "validation loss 0.5), and copy them back at the end":
        "fit хранит лучшие веса по ссылке, и они продолжают меняться при обучении: в конце у сети "
        "веса последней эпохи. Сохраняйте копии, value.copy(), после лучшей эпохи (здесь эпоха 2, "
        "потери на валидации 0.5) и в конце копируйте их обратно",
    "after fit the network holds the weights of the last epoch: keep a copy of every value after the "
    "epoch with the lowest validation loss (epoch 2 here, validation loss 0.5) and copy them back "
    "into the network's arrays at the end":
        "после fit у сети веса последней эпохи: сохраняйте копию каждого значения после эпохи с "
        "наименьшими потерями на валидации (здесь эпоха 2, потери 0.5) и в конце копируйте их обратно "
        "в массивы сети",
    "after fit the network holds the weights of epoch 3, the highest validation accuracy: restore "
    "those of the lowest validation loss (epoch 2)":
        "после fit у сети веса эпохи 3, с наибольшей точностью на валидации: восстанавливайте веса "
        "эпохи с наименьшими потерями на валидации (эпоха 2)",
    "after fit the network holds the weights it had after epoch {epoch}, expected those after epoch "
    "2, whose validation loss (0.5) was the lowest":
        "после fit у сети веса, которые были после эпохи {epoch}, а ожидались веса после эпохи 2, у "
        "которой потери на валидации (0.5) наименьшие",
    "after fit the network holds weights it had after no epoch: restore, in place, the copies kept "
    "after the epoch with the lowest validation loss (epoch 2)":
        "после fit у сети веса, которых не было ни после одной эпохи: восстановите на месте копии, "
        "сохранённые после эпохи с наименьшими потерями на валидации (эпоха 2)",
    "training did not converge: the best test accuracy after an epoch was {best:.1%} (needed at least "
    "{min_accuracy:.0%}) with your Adam at learning rate {learning_rate}, your BatchNorm before each "
    "sigmoid, your fit, batches of {batch_size}, {n_epochs} epochs. Fix the failing tests above "
    "first.":
        "обучение не сошлось: лучшая точность на тестовых изображениях после эпохи — {best:.1%} "
        "(нужно не меньше {min_accuracy:.0%}) с вашим Adam при скорости обучения {learning_rate}, "
        "вашим BatchNorm перед каждой сигмоидой, вашей fit, батчами по {batch_size}, {n_epochs} эпох. "
        "Сначала исправьте упавшие тесты выше.",

    # ---------------------------------------------------------------- the grading service
    "Your feedback so far": "Ваш отзыв на данный момент",
    "{score:g} of {total:g} autograded points.": "{score:g} из {total:g} баллов автопроверки.",
    "Before the deadline you see your score; the tests' results come with the whole feedback after it.":
        "До срока сдачи вы видите свой балл; результаты тестов придут с полным отзывом после него.",
    "Before the deadline you see the visible tests' messages and the hidden tests' points; their messages come "
    "with the whole feedback after it.":
        "До срока сдачи вы видите сообщения открытых тестов и баллы скрытых; их сообщения придут с полным "
        "отзывом после него.",
    "Before the deadline ({deadline}) you see your score; the tests' results come with the whole feedback after it.":
        "До срока сдачи ({deadline}) вы видите свой балл; результаты тестов придут с полным отзывом после него.",
    "Before the deadline ({deadline}) you see the visible tests' messages and the hidden tests' points; their "
    "messages come with the whole feedback after it.":
        "До срока сдачи ({deadline}) вы видите сообщения открытых тестов и баллы скрытых; их сообщения придут с "
        "полным отзывом после него.",
    "You have used your {attempts} graded attempts of the last {hours:g} hours. This submission is kept, and "
    "graded when an attempt frees up or at the deadline.":
        "Вы использовали свои попытки с проверкой за последние {hours:g} ч ({attempts}). Эта работа сохранена и будет "
        "проверена, когда освободится попытка, или в срок сдачи.",
}
