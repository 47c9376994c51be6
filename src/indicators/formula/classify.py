"""How a formula's kind (:class:`~indicators.formula.kinds.FormulaKind`) is decided.

The rules, in order (docs/formula-language.md, "Kinds", is the reference):

1. Alternatives written with ``/`` between fixed words are not a division:
   ``是/否符合`` → boolean (alternatives ``是``, ``否``), so is ``已完成/未完成``; ``保持/提升`` → state;
   ``优秀/良好/合格`` → grade.
   A single such word is a fixed value, not a name: ``是`` → boolean, ``优`` → grade, ``保持`` → state.
2. A definition that is a single name is read from its words:
   ``是否…`` → boolean; 满意度/问卷/调查/访谈/评价系统/测评 → survey;
   等级/评级/等次/考核结果/评估结果… → grade;
   ending in 金额/资金/经费/成本/费用/支出/投入/补贴/补助 (or a ``(万元)`` qualifier) → amount;
   ending in 数/量/次/面积/长度/里程/时长/时间/日期 or 率/比例/占比/指数 → quantity;
   starting with 无/零/未发生 (``无重大安全事故``) or holding a state word (公开, 清零, 及时, 实现…) → state;
   anything else → quantity (a measured name).
3. Any other expression is arithmetic; its shape decides: a factor ``100%`` (or any per-cent or
   per-mille literal) in the outermost product → percentage; a division of measured names → ratio,
   or a rate when the product has a bare factor 1000, 10000 (1万), 100000 (10万) or 1000000 (100万)
   (``发病人数/常住人口数×10万``, also written ``×100000/10万``); money names over other names, or sums
   of money → amount; otherwise quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.formula.kinds import RATE_UNITS, FormulaKind
from indicators.formula.nodes import Comparison, Negate, Node, Number, Product, Sum, Variable

SURVEY_WORDS = ("满意度", "满意率", "满意程度", "问卷", "调查", "访谈", "评价系统", "测评")
GRADE_WORDS = (
    "等级", "评级", "等次", "档次", "考核结果", "评估结果", "评价结果", "评定结果", "评审结果", "考评结果",
)
AMOUNT_SUFFIXES = (
    "金额", "资金", "经费", "成本", "费用", "支出", "投入", "投资", "补贴", "补助", "奖励金", "保健金",
    "总额", "预算", "拨款", "造价", "价款",
)
QUANTITY_SUFFIXES = (
    "数", "量", "次", "面积", "长度", "里程", "时长", "人次", "户数", "天数", "时间", "日期", "用时", "耗时",
)
#: a single name ending in these is a measured rate (按时完成率 is a rate, not the state 按时完成)
RATE_SUFFIXES = ("率", "比例", "比率", "占比", "比重", "指数", "系数")
#: a single name starting with these states an absence: 无重大安全事故, 零事故, 未发生安全事故
ABSENCE_PREFIXES = ("无", "零", "未发生", "不发生", "杜绝")
STATE_WORDS = (
    "公开", "清零", "及时", "实现", "完成", "达到", "达标", "符合", "保持", "提升", "提高", "到位", "落实",
    "规范", "按规定", "按时", "有效", "正常", "稳定", "持平", "改善", "消除", "杜绝", "零发生", "全覆盖",
    "定性", "规定", "验收", "建成", "投入使用", "投用",
)
#: the "yes" words of a boolean written as alternatives (是/否符合, 有/无)
YES_WORDS = ("是", "有", "已")
NO_PREFIXES = ("否", "无", "未", "不", "没有")
#: words that may be alternatives of a state target (保持/提升)
STATE_ALTERNATIVES = (
    "保持", "提升", "提高", "持平", "下降", "降低", "增加", "增长", "减少", "改善", "稳定", "达到", "未达到",
    "完成", "未完成", "达标", "不达标", "实现", "未实现",
)
#: grade words that may be written as alternatives (优秀/良好/合格/不合格)
GRADE_ALTERNATIVES = (
    "优秀", "良好", "合格", "不合格", "优", "良", "中", "差", "较好", "一般", "较差", "好", "及格", "不及格",
)


@dataclass(frozen=True, slots=True)
class Classification:
    kind: FormulaKind
    #: the alternatives of 是/否符合, 保持/提升 … (empty otherwise)
    alternatives: tuple[str, ...] = ()
    #: True when the expression is alternatives, not arithmetic (the formula then has no AST)
    drops_expression: bool = False
    #: "%" or "‰" for a percentage; the base of a rate ("‰", "‱", "/10万", "/100万")
    unit: str | None = None
    #: the bare factor that makes a ratio a rate (``10万`` in ``a/b×10万``)
    factor: Number | None = None
    #: the expression to keep when it differs from the parsed one: ``a/b×100000/10万`` is ``a/b×100000``
    expr: Node | None = None


def classify(expr: Node) -> Classification:
    """The kind of a parsed definition (see the module docstring for the rules)."""
    words = _alternative_words(expr)
    if words is not None:
        found = _classify_alternatives(words)
        if found is not None:
            return found
    if isinstance(expr, Variable):
        return Classification(classify_name(expr.name))
    if isinstance(expr, Comparison):  # 实际完成值≥目标值: whether the criterion holds
        return Classification(FormulaKind.BOOLEAN)
    shape = _shape(expr)
    if shape in ("%", "‰"):
        return Classification(FormulaKind.PERCENTAGE, unit=shape)
    if shape == "ratio":
        rate = _rate(expr)
        if rate is not None:
            factor, kept = rate
            return Classification(FormulaKind.RATE, unit=RATE_UNITS[int(factor.value)], factor=factor,
                                  expr=None if kept is expr else kept)
    return Classification(_SHAPE_KINDS[shape])


def _rate(expr: Node) -> tuple[Number, Node] | None:
    """The base factor of a ratio and the expression to keep, or None.

    ``a/b*10万`` and ``10万*a/b`` multiply by the base; ``a/(b/10万)`` divides by the base population;
    ``a/b*100000/10万`` is the statistics manuals' way of writing the factor with its unit (K = 100000/10万),
    so the division by the second 100000 is dropped.
    """
    if not isinstance(expr, Product):
        return None
    operators = ("*", *expr.operators)
    for i, (op, operand) in enumerate(zip(operators, expr.operands, strict=True)):
        if op == "*" and _is_base(operand) and (i or operators[1] == "*"):
            assert isinstance(operand, Number)
            kept = expr
            after = i + 1
            if after < len(expr.operands) and operators[after] == "/" and expr.operands[after] == operand:
                kept = _without(expr, after)  # ×100000/10万: the factor and its unit
            if _shape(_without(kept, i)) == "ratio":
                return operand, kept
        if op == "/" and isinstance(operand, Product) and operand.operators[-1] == "/":
            last = operand.operands[-1]
            if _is_base(last) and _shape(operand.operands[0]) != "number":
                assert isinstance(last, Number)
                return last, expr
    return None


def _without(product: Product, index: int) -> Product:
    """``product`` without its operand ``index`` (and the operator before it, or after it for the first)."""
    operands = product.operands[:index] + product.operands[index + 1 :]
    cut = max(index - 1, 0)
    operators = product.operators[:cut] + product.operators[cut + 1 :]
    return Product(operands, operators, product.span)  # one operand left: a product of one, shaped alike


def _is_base(node: Node) -> bool:
    return isinstance(node, Number) and node.unit is None and node.value in RATE_UNITS


def classify_name(name: str) -> FormulaKind:
    """The kind of a definition that is one name (rule 2)."""
    core = name.strip()
    if core.startswith("是否"):
        return FormulaKind.BOOLEAN
    if any(w in core for w in SURVEY_WORDS):
        return FormulaKind.SURVEY
    if any(w in core for w in GRADE_WORDS):
        return FormulaKind.GRADE
    if _is_money_name(core):
        return FormulaKind.AMOUNT
    bare = _strip_trailing_qualifier(core)
    if bare.endswith(QUANTITY_SUFFIXES) or bare.endswith(RATE_SUFFIXES):
        return FormulaKind.QUANTITY
    if core.startswith(ABSENCE_PREFIXES) or any(w in core for w in STATE_WORDS):
        return FormulaKind.STATE
    return FormulaKind.QUANTITY


def _classify_alternatives(words: tuple[str, ...]) -> Classification | None:
    if len(words) == 1 and (words[0] in YES_WORDS or words[0] in NO_PREFIXES):  # 是, 否, 无
        return Classification(FormulaKind.BOOLEAN, words, drops_expression=True)
    if len(words) == 2 and any(words[1] == n + stem for n in NO_PREFIXES for stem in _stems(words[0])):
        return Classification(FormulaKind.BOOLEAN, words, drops_expression=True)  # 达标/不达标, 已完成/未完成
    if len(words) == 2 and words[0] in YES_WORDS:  # 是/否符合: the yes-word and the no-word
        for prefix in NO_PREFIXES:
            if words[1].startswith(prefix):
                return Classification(FormulaKind.BOOLEAN, (words[0], prefix), drops_expression=True)
    if all(w in STATE_ALTERNATIVES for w in words):
        return Classification(FormulaKind.STATE, words, drops_expression=True)
    if all(w in GRADE_ALTERNATIVES for w in words):
        return Classification(FormulaKind.GRADE, words, drops_expression=True)
    return None


def _stems(word: str) -> tuple[str, ...]:
    """``已完成`` → (``已完成``, ``完成``): the word, and the word without a yes-word in front."""
    return (word, *(word[len(y):] for y in YES_WORDS if word.startswith(y) and len(word) > len(y)))


def _alternative_words(expr: Node) -> tuple[str, ...] | None:
    """``a/b/c`` where every operand is a name, or a single name: the names; otherwise None."""
    if isinstance(expr, Variable):
        return (expr.name,)
    if not isinstance(expr, Product) or any(op != "/" for op in expr.operators):
        return None
    names: list[str] = []
    for operand in expr.operands:
        if not isinstance(operand, Variable):
            return None
        names.append(operand.name)
    return tuple(names)


def _is_money_name(name: str) -> bool:
    bare = _strip_trailing_qualifier(name)
    if bare != name and "元" in name[len(bare):]:
        return True
    return bare.endswith(AMOUNT_SUFFIXES)


def _strip_trailing_qualifier(name: str) -> str:
    if name.endswith((")", "）")):
        for i in range(len(name) - 1, -1, -1):
            if name[i] in "(（":
                return name[:i] if i else name
    return name


# --- shapes of arithmetic --------------------------------------------------------------------------

_SHAPE_KINDS = {
    "number": FormulaKind.QUANTITY,
    "quantity": FormulaKind.QUANTITY,
    "amount": FormulaKind.AMOUNT,
    "ratio": FormulaKind.RATIO,
}
_RANK = {"number": 0, "quantity": 1, "amount": 2, "ratio": 3, "‰": 4, "%": 5}


def _merge(shapes: list[str]) -> str:
    return max(shapes, key=lambda s: _RANK[s]) if shapes else "number"


def _shape(node: Node) -> str:
    """``number`` (a literal), ``quantity``, ``amount``, ``ratio``, ``%`` or ``‰``."""
    if isinstance(node, Number):
        return node.unit or "number"
    if isinstance(node, Variable):
        return "amount" if _is_money_name(node.name) else "quantity"
    if isinstance(node, Negate):
        return _shape(node.operand)
    if isinstance(node, Sum):
        return _merge([_shape(o) for o in node.operands])
    if isinstance(node, Product):
        return _product_shape(node)
    if isinstance(node, Comparison):
        return "number"
    if node.function == "IF":
        return _merge([_shape(a) for a in node.args[1:]])
    if node.function == "ROUND":
        return _shape(node.args[0])
    return _merge([_shape(a) for a in node.args])


def _product_shape(node: Product) -> str:
    current = _shape(node.operands[0])
    for op, operand in zip(node.operators, node.operands[1:], strict=True):
        right = _shape(operand)
        if right in ("%", "‰") or current in ("%", "‰"):
            current = right if right in ("%", "‰") else current
        elif op == "*":
            current = _merge([current, right])
        elif right == "number":
            pass  # a/100 keeps the shape of a
        elif current == "amount" and right != "amount":
            pass  # money per person stays money
        else:
            current = "ratio"
    return current
