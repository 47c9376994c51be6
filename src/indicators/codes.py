"""The one table of diagnostic codes.

Every diagnostic the engine emits is declared here: its stable code, slug, default severity, a Chinese
message template (``str.format`` fields filled by the caller) and a default hint. Codes are grouped by
area and are never renumbered or reused; a retired code stays in the table marked ``retired``.

=========  ==========================================
range      area
=========  ==========================================
IND0xx     general: limits, input that cannot be read
IND1xx     formula language (syntax and meaning)
IND2xx     target language and judging actual values
IND3xx     units
IND4xx     catalog
IND5xx     form import and form structure
IND6xx     lint of indicator rows
IND7xx     budget block arithmetic
IND8xx     scoring (self-evaluation)
IND9xx     HTTP service
=========  ==========================================

``docs/lint-rules.md`` and ``docs/diagnostics.md`` list every code; a test keeps them in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indicators.diagnostics import Diagnostic, Location, Severity, Span

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    slug: str
    severity: Severity
    message: str
    hint: str | None = None
    retired: bool = False


def _table(*rows: Code) -> dict[str, Code]:
    table: dict[str, Code] = {}
    slugs: set[str] = set()
    for row in rows:
        if row.code in table or row.slug in slugs:
            raise AssertionError(f"duplicate diagnostic code or slug: {row.code} {row.slug}")
        table[row.code] = row
        slugs.add(row.slug)
    return table


CODES: dict[str, Code] = _table(
    # --- IND0xx general -------------------------------------------------------------------------
    Code("IND001", "input.too-long", E, "输入过长：{length} 个字符，上限为 {limit}", "请拆分或精简文本"),
    Code("IND002", "input.too-deep", E, "嵌套层数过深：超过 {limit} 层", "请减少括号或函数的嵌套"),
    Code("IND003", "input.too-large", E, "输入过大：{what} 为 {size}，上限为 {limit}", "上限见 docs/limits.md：可以用 Limits 提高上限，或拆分文件"),
    Code("IND004", "input.unreadable", E, "无法读取：{reason}", None),
    Code("IND005", "input.encoding-guessed", I, "文件编码不是 UTF-8，按 {encoding} 读取", "如有乱码，请另存为 UTF-8 编码的文本"),
    Code("IND030", "number.rounded", W, "“{text}”的计算结果超过 {precision} 位有效数字，已舍入（{detail}）", "数值过大或位数过多，结果的末几位不精确；请核对数值及其单位（元/万元）"),
    Code("IND031", "analysis.symbolic-budget", I, "公式较复杂（{detail}），未做符号化简；两式在 {points} 组取值上的值相同，但这不能证明等价", None),
    # --- IND1xx formula -------------------------------------------------------------------------
    Code("IND101", "formula.unexpected-character", E, "公式中出现无法识别的字符“{text}”", None),
    Code("IND102", "formula.unexpected-token", E, "公式在“{text}”处有误：此处应为{expected}", None),
    Code("IND103", "formula.unexpected-end", E, "公式不完整：结尾处应为{expected}", None),
    Code("IND104", "formula.unbalanced-parenthesis", E, "括号不配对：{detail}", "检查左右括号是否一一对应"),
    Code("IND105", "formula.stray-quotes", W, "公式首尾有多余的引号，已忽略", "删除包住公式的引号"),
    Code("IND106", "formula.empty", E, "公式为空", "按“指标值=分子/分母*100%”的形式填写计算公式"),
    Code("IND107", "formula.unknown-function", E, "未知函数“{text}”", "可用函数见 docs/formula-language.md"),
    Code("IND108", "formula.wrong-arity", E, "函数 {name} 需要 {expected} 个参数，实际为 {actual} 个", None),
    Code("IND109", "formula.misplaced-comparison", E, "比较“{text}”只能作为 IF（如果）的第一个参数", "比较式写在 IF(条件, 是时取值, 否时取值) 的条件位置"),
    Code("IND110", "formula.division-by-zero", E, "无法计算：{name}为零，不能作除数", None),
    Code("IND111", "formula.missing-variable", E, "无法计算：缺少变量“{name}”的取值", None),
    Code("IND112", "formula.bad-value", E, "变量“{name}”的取值“{text}”不是数值", None),
    Code("IND113", "formula.unit-mismatch", E, "无法计算：“{left}”与“{right}”的数值不能相加减或比较", "检查各变量取值的单位"),
    Code("IND114", "formula.not-computable", E, "该公式不是算式（{kind}），不能直接计算", None),
    Code("IND115", "formula.arithmetic-error", E, "无法计算：{detail}", None),
    Code("IND116", "formula.bad-argument", E, "函数 {name} 的参数“{text}”无效：{detail}", None),
    Code("IND117", "formula.note-looks-like-formula", W, "空格后的“{text}”当作说明文字，但它像是公式的一部分", "名称中不能有空格；若是公式，请删除空格"),
    Code("IND118", "formula.bad-thousands-separator", E, "数字“{text}”中的逗号有误：{detail}", "千位分隔符用半角逗号“,”，每三位数字一个，如 1,152.50；也可以不写分隔符"),
    Code("IND119", "formula.percentage-with-unit", E, "无法计算：百分比公式的结果带有单位“{unit}”，分子与分母的单位应能相约", "检查各变量取值的单位，如分子和分母都用“人”，或都不写单位"),
    Code("IND120", "formula.hundred-without-percent", W, "比值乘以“{text}”却没有写百分号，结果是普通数值而不是百分数", "若指标值是百分数，写作“×100%”，如“办结工单/呈办工单×100%”"),
    Code("IND121", "formula.not-analysable", E, "该公式不是算式（{kind}），不能做符号分析", "只有百分比、比值、数量、金额类的算式可以比较、求解或转为 LaTeX"),
    Code("IND122", "formula.analysis-unsupported", E, "公式中的“{text}”无法做符号分析：{detail}", None),
    Code("IND123", "formula.no-unique-solution", E, "无法求出“{name}”的唯一取值：{detail}", "检查目标值和其他变量的取值；若公式对该变量不是单调的，请直接试算"),
    Code("IND124", "formula.unknown-variable", E, "公式中没有变量“{name}”", None),
    Code("IND125", "formula.bad-analysis-argument", E, "{what}“{text}”无效：{detail}", None),
    Code("IND126", "formula.analysis-unavailable", E, "符号分析需要 sympy，当前环境中没有安装", "sympy 是本项目的依赖，请重新安装：pip install indicators（或 pip install sympy）"),
    Code("IND127", "formula.not-compilable", E, "“{text}”无法编译：{detail}", None),
    Code("IND128", "formula.batch-unavailable", E, "批量计算需要 {module}，当前环境中没有安装", "安装批量计算的依赖：pip install 'indicators[batch]'"),
    Code("IND129", "formula.batch-bad-cell", E, "第 {row} 行“{column}”列的取值“{text}”不是数值", "数值可带千位分隔符（1,250）或百分号（96.5%），不能带其他文字或单位"),
    Code("IND130", "formula.batch-bad-input", E, "批量计算的输入有误：{detail}", None),
    Code("IND131", "formula.batch-not-computable", E, "第 {row} 行无法计算：{detail}", None),
    Code("IND132", "formula.look-alike-operator", I, "“{text}”按{meaning}理解", "运算符请写作 + - × ÷ =（或 * /）"),
    Code("IND133", "formula.letter-x-in-name", W, "名称“{name}”中的“{text}”未按乘号理解", "若是相乘，请写作“×”或“*”；若是名称的一部分，可忽略本提示"),
    Code("IND134", "formula.bracket-note-in-name", I, "括号内“{text}”按变量“{name}”的说明理解", None),
    Code("IND135", "formula.label-with-expression", I, "“{name}”按指标名称理解，括号内的“{text}”为计算公式", None),
    Code("IND136", "formula.text-definition", I, "等号后的“{text}”是文字定义，计算公式取“{expr}”", None),
    Code("IND137", "formula.second-expression", I, "等号后的第二个算式“{text}”作为说明，计算公式取“{expr}”", "一个计算公式只保留一个算式"),
    Code("IND138", "formula.rate-base", I, "“{text}”按{label}（{unit}）理解", None),
    Code("IND139", "formula.footnote-mark", I, "末尾的“{text}”按脚注标记理解，作为说明", None),
    Code("IND140", "formula.quoted-name", I, "名称两侧的引号不是名称的一部分：“{text}”按“{name}”理解", None),
    Code("IND141", "formula.space-in-name", I, "“{text}”中的空格按名称的一部分理解", "名称中不宜有空格；若空格后是说明，请在说明前加逗号"),
    Code("IND142", "formula.trailing-target", I, "公式末尾的“{target}”是指标值，不属于公式，按说明处理", "指标值写在“指标值”栏"),
    # --- IND2xx target --------------------------------------------------------------------------
    Code("IND201", "target.unparseable", E, "无法识别的指标值“{text}”", None),
    Code("IND202", "target.incomplete", E, "指标值“{text}”不完整：{detail}", None),
    Code("IND203", "target.empty", E, "指标值为空", "填写可衡量的年度指标值，如“95%以上”"),
    Code("IND204", "target.vague", W, "指标值“{text}”表述模糊，无法衡量", "改为可量化或可分级的表述，如“90%以上”“良好及以上”"),
    Code("IND205", "target.trailing-punctuation", I, "指标值末尾有多余标点“{text}”", None),
    Code("IND206", "target.ocr-operator", W, "指标值“{text}”中的运算符疑似识别错误，按“{fixed}”理解", None),
    Code("IND207", "target.ocr-suspect", W, "指标值“{text}”疑似识别错误（可能应为“{fixed}”），仍按原文理解", "核对原表，必要时改正"),
    Code("IND208", "target.unit-column-mismatch", W, "指标值“{text}”的单位“{unit}”与计量单位“{column}”不一致", "统一指标值与计量单位栏"),
    Code("IND209", "target.conflicting-comparators", E, "指标值“{text}”前后的比较方向矛盾", "只保留一个比较词，如“≥95%”或“95%以上”"),
    Code("IND210", "target.actual-unparseable", E, "无法识别的实际完成值“{text}”", None),
    Code("IND211", "target.not-comparable", W, "实际值“{actual}”与指标值“{target}”无法比较：{reason}", None),
    Code("IND212", "target.needs-baseline", W, "指标值“{text}”是相对目标，需要基期（如上年）数值", "用 --baseline 或 --prior 提供上年值"),
    Code("IND213", "target.unit-assumed", I, "指标值“{text}”未写单位，按“{unit}”理解", None),
    Code("IND214", "target.default-comparator", I, "指标值“{text}”未写比较方向，按“{sign}”理解", "写明比较方向，如“≥95%”"),
    Code("IND215", "target.ambiguous-actual", W, "实际值“{text}”没有单位，无法判断是比值还是百分数", "写明单位，如“96.5%”"),
    Code("IND216", "target.impossible-value", E, "指标值“{text}”不合理：{detail}", None),
    Code("IND217", "target.number-like-date", W, "指标值“{text}”按数值理解，但它像年月（{date}）", "时间要求写成“2025年6月底前”或“2025-06-30”；数值在计量单位栏写明单位"),
    Code("IND218", "target.actual-restates-target", I, "实际完成值“{actual}”照抄了指标值“{target}”，按“已达到指标值”判断", "填写实际完成的数值或情况，如“96.5%”“2024年9月完成”"),
    Code("IND219", "target.actual-is-requirement", W, "实际完成值“{actual}”写成了要求，与指标值“{target}”不同；按它保证的{reading}判断", "填写实际完成的数值，如“96.5%”"),
    Code("IND220", "target.completion-word", I, "定量指标值“{target}”按完成情况用语“{actual}”判断为“{tier}”", "填写实际完成的数值，便于按完成比例计分"),
    Code("IND221", "target.month-as-period", I, "指标值“{text}”按该月期间理解；时效类指标（完工时限、及时性、进度）上按“{deadline}”理解", "给出三级指标名称或二级指标“时效指标”（--indicator、--level2）"),
    Code("IND222", "target.equals-word", I, "指标值“{text}”中“=”后是文字，按“{word}”理解", "去掉“=”，或写明可衡量的数值"),
    Code("IND223", "target.rate-at-least-100", I, "指标值“{text}”要求比率不低于100%，而比率最高为100%，即要求达到100%", None),
    Code("IND224", "target.whole-scale", W, "指标值“{text}”列出了整个等级序列（{scale}），而不是要求达到的等级；按“{level}”及以上判断", "写明要求达到的等级，如“良好及以上”"),
    Code("IND225", "target.float-residue", W, "数值“{text}”是表格的浮点误差，按“{value}”理解", "在表格中把单元格设为数值或文本格式后重新导出"),
    Code("IND226", "target.excel-date-serial", W, "数值“{text}”是表格的日期序号，按日期“{date}”理解", "在表格中把单元格设为日期格式后重新导出"),
    Code("IND227", "target.month-as-deadline", I, "指标值“{text}”在时效类指标上按“{deadline}”理解（该月底前完成即达到）", None),
    Code("IND228", "target.approximate", I, "指标值“{text}”是约数，按“{sign}{bound}”理解，与之相差不到其{tolerance}的实际值也算达到", "写明比较方向或范围，如“≥70%”“65%-75%”"),
    Code("IND229", "target.note", I, "指标值后的“{note}”按说明理解，不参与判断", "说明写在指标解释或备注栏，指标值栏只写指标值"),
    Code("IND230", "target.actual-fraction", I, "实际值“{text}”按“完成数/总数”理解，即 {value}", "实际完成值写成百分数，如“93.33%”"),
    # --- IND3xx units ---------------------------------------------------------------------------
    Code("IND301", "unit.unknown", E, "未知计量单位“{text}”", "单位表见 docs/units.md；可在 catalog/units.txt 中添加"),
    Code("IND302", "unit.incompatible", E, "单位“{left}”与“{right}”量纲不同，不能换算", None),
    Code("IND303", "unit.not-in-table", W, "计量单位“{unit}”不在单位表中，只与写同一单位的数值比较", "单位表见 docs/units.md；可在 catalog/units.txt 中添加"),
    # --- IND4xx catalog -------------------------------------------------------------------------
    Code("IND401", "catalog.invalid-file", E, "指标库文件有误：{detail}", None),
    Code("IND402", "catalog.duplicate-code", E, "指标编码“{code}”重复", "每个指标编码在所有指标集中必须唯一"),
    Code("IND403", "catalog.bad-formula", E, "指标“{code}”的计算公式无法解析：{detail}", None),
    Code("IND404", "catalog.bad-target", E, "指标“{code}”的默认指标值无法解析：{detail}", None),
    Code("IND405", "catalog.unit-mismatch", E, "指标“{code}”的公式与指标值单位不一致：{detail}", None),
    Code("IND406", "catalog.level2-not-allowed", E, "二级指标“{level2}”不属于一级指标“{level1}”", None),
    Code("IND407", "catalog.bad-rule", E, "指标“{code}”的规则引用了不存在的字段“{field}”", None),
    Code("IND408", "catalog.unknown-level1", E, "未知一级指标“{level1}”", None),
    Code("IND409", "catalog.bad-policy", E, "评分规则文件有误：{detail}", None),
    Code("IND410", "catalog.rule-needs-prior", I, "指标“{code}”的设置规则需要上年{baseline}才能检查", "提供上一年度的评估结果（如 --prior）"),
    Code("IND411", "catalog.bad-rule-level", E, "指标“{code}”的规则等级“{level}”不在等级序列（{scale}）中", None),
    Code("IND412", "catalog.unknown-grade-scale", E, "指标“{code}”引用了未知的等级序列“{scale}”", "等级序列定义在 catalog/grades.yaml"),
    Code("IND413", "catalog.kind-differs", I, "指标“{code}”声明的类型“{declared}”与公式推断的类型“{inferred}”不同", None),
    Code("IND414", "catalog.not-found", E, "指标库中找不到“{name}”", "用 indicators catalog search 查找相近的指标"),
    Code("IND415", "catalog.unknown-level2", E, "未知二级指标“{level2}”（一级指标“{level1}”）", None),
    Code("IND416", "catalog.unknown-filter", E, "指标库中没有{what}“{name}”", None),
    Code("IND417", "catalog.duplicate-name", W, "指标“{code}”的名称“{name}”与指标“{other}”相同", None),
    # --- IND5xx form import and structure -------------------------------------------------------
    Code("IND501", "form.unreadable", E, "无法读取表格文件：{reason}", None),
    Code("IND502", "form.no-indicator-table", E, "未找到绩效指标表（一级指标/二级指标/三级指标）", None),
    Code("IND503", "form.row-realigned", I, "第 {row} 行的单元格错位，已按内容重新对齐：{detail}", None),
    Code("IND504", "form.cell-unplaced", W, "单元格内容“{text}”无法归入任何栏目", None),
    Code("IND505", "form.ragged-row", E, "第 {row} 行的单元格数（{count}）与表头不一致", None),
    Code("IND506", "form.bad-number", E, "数值“{text}”无法识别", None),
    Code("IND507", "form.other-table", I, "工作表“{sheet}”中另有一张绩效指标表，未读取", "用 --sheet 指定要读取的工作表"),
    Code("IND508", "form.formula-not-calculated", E, "工作表“{sheet}”中有 {count} 个公式单元格没有保存计算结果（{cells}），已按空白读取", "用 Excel 或 WPS 打开并保存该文件（保存时会算出公式的值），再重新读取"),
    Code("IND509", "form.no-indicators", E, "绩效指标表（第 {row} 行表头）下没有填写任何指标", "在表头下逐行填写一级指标、二级指标、三级指标和年度指标值"),
    Code("IND510", "form.unknown-column", W, "第 {column} 列的表头“{text}”不是已知的栏目，该列内容按原样保留，未作为任何指标数据读取", "如是已有栏目的另一种写法，请把它加入 catalog/columns.yaml"),
    Code("IND511", "form.row-not-realigned", W, "第 {row} 行的单元格似乎错位，但移动理由不足，未重新对齐：{detail}", "请核对这一行各单元格是否填在了正确的栏目中"),
    Code("IND512", "form.type-conflict", W, "表格标题写明是{stated}表，但表中有{found}的栏目（{labels}）", "按标题读取；请核对表格类型"),
    Code("IND513", "form.stacked-table", W, "第 {row} 行起是另一张绩效指标表，未读取", "一个文件（工作表）只放一张表，把其余的表分开保存后分别检查"),
    # --- IND6xx lint of indicator rows ----------------------------------------------------------
    Code("IND601", "lint.target-unparseable", E, "指标值“{text}”无法识别", None),
    Code("IND602", "lint.target-missing", E, "三级指标“{name}”缺少年度指标值", "每个三级指标都应有可衡量的年度指标值"),
    Code("IND603", "lint.target-vague", W, "指标值“{text}”表述模糊，无法衡量", None),
    Code("IND604", "lint.target-unit-mismatch", E, "指标值“{target}”与计算公式不相容：{reason}", None),
    Code("IND605", "lint.percent-over-100", W, "比率类指标的指标值“{text}”超过 100%", None),
    Code("IND606", "lint.formula-unparseable", E, "计算公式无法解析：{detail}", None),
    Code("IND607", "lint.rate-without-ratio", W, "指标名称含“率”，但计算公式“{text}”不是比率", None),
    Code("IND608", "lint.level2-not-allowed", E, "二级指标“{level2}”不属于一级指标“{level1}”", None),
    Code("IND609", "lint.duplicate-indicator", W, "三级指标“{name}”重复出现（另见第 {other_row} 行）", None),
    Code("IND610", "lint.category-empty", W, "{level}“{name}”下没有填写任何三级指标", None),
    Code("IND611", "lint.category-missing", W, "缺少{level}“{name}”", None),
    Code("IND612", "lint.grade-off-scale", E, "等级指标值“{text}”不在该指标的等级序列（{scale}）中", None),
    Code("IND613", "lint.guidance-broken", E, "指标值违反指标库的设置规则：{detail}", None),
    Code("IND614", "lint.catalog-definition-differs", W, "该行与指标库“{catalog_code}”同名，但定义不同：{detail}", None),
    Code("IND615", "lint.formula-stray-quotes", W, "计算公式“{text}”两端有多余的引号", "删除包住整个公式的引号"),
    Code("IND616", "lint.level1-unknown", W, "一级指标“{level1}”不在指标分类中（应为{expected}之一）", None),
    Code("IND617", "lint.operator-mismatch", E, "指标性质“{operator}”与指标值“{text}”不一致：{reason}", None),
    Code("IND618", "lint.formulas-missing", I, "{detail}", "在指标解释（计算公式）栏写明每个指标的计算方法或取值方式，便于审核和自评"),
    Code("IND619", "lint.categories-blank", W, "{count} 个三级指标没有填写一级指标（{rows}）", "为每个三级指标填写所属的一级指标和二级指标"),
    Code("IND620", "lint.bad-rate-raised", E, "“{name}”越低越好，指标值“{text}”却要求{wanted}", None),
    Code("IND621", "lint.cost-lower-bound", E, "成本指标的指标值“{text}”是下限，成本应设上限", "成本指标写作“≤30万元”“控制在30万元以内”"),
    Code("IND622", "lint.cost-zero", E, "成本指标的指标值“{text}”为零", "写明成本的控制数（上限），如“≤30万元”；没有成本的项目不设该成本指标"),
    Code("IND623", "lint.quantity-capped", W, "数量指标的指标值“{text}”是上限，产出数量一般设下限", "产出数量写作“≥6个”“6个以上”；确需限制数量的，说明理由"),
    Code("IND624", "lint.direction-marker-contradicts", E, "“{marker}”与指标值“{text}”的比较方向相反", "正向指标用“≥”，反向指标用“≤”，使两处一致"),
    Code("IND625", "lint.timeliness-without-time", W, "时效指标的指标值“{text}”不是时间要求", "时效指标写完成时限（“12月底前完成”）、期限（“≤5个工作日”）或及时率（“≥95%”）"),
    Code("IND626", "lint.cost-not-money", W, "成本指标的指标值“{text}”不是金额", "经济成本指标以金额计量，如“≤30万元”“≤1600元/亩”"),
    Code("IND627", "lint.cost-without-ceiling", W, "成本指标的指标值“{text}”没有写明上限，{reading}", "写明比较方向，如“≤250万元”"),
    Code("IND628", "lint.satisfaction-misplaced", W, "满意度指标“{name}”列在{level}“{category}”下", "满意度指标列在一级指标“满意度指标”（服务对象满意度指标）下"),
    Code("IND629", "lint.ratio-as-fraction", W, "指标值“{text}”是小数，而计算公式以百分数计算：应为“{fixed}”", None),
    Code("IND630", "lint.target-kind-differs-from-name", W, "指标名称“{name}”表示{named}，而指标值“{text}”是{written}", None),
    Code("IND631", "lint.grade-standard-missing", W, "等级指标值“{text}”没有说明各等级的评定标准", "在指标解释或评（扣）分标准中写明各等级的含义，如“优：…；良：…；中：…；差：…”"),
    Code("IND632", "lint.placeholder", E, "{where}“{text}”中留有模板占位符“{mark}”", "用实际的数值或名称替换占位符"),
    Code("IND633", "lint.name-in-target", W, "指标值“{text}”中重复了指标名称“{name}”", "指标值栏只写要求达到的值，如“≥90%”"),
    Code("IND634", "lint.unit-in-both", W, "指标值“{text}”与计量单位栏都写了单位“{unit}”", "指标值栏只写数值（如“95”），单位写在计量单位栏"),
    Code("IND635", "lint.task-not-measured", W, "{what}“{name}”没有对应的绩效指标", "为每项重点任务（年度目标）设置衡量其完成情况的三级指标"),
    Code("IND636", "lint.below-prior", W, "指标值“{text}”{relation}上年实际值“{prior}”", "按历史标准设置的指标值应不低于上年实际水平，或说明原因"),
    Code("IND637", "lint.below-formula-figures", W, "指标值“{text}”远低于计算公式中的数字算出的 {value}", "指标值应与计算公式中给出的计划数一致，避免目标设置明显偏低"),
    Code("IND638", "lint.survey-method-missing", W, "满意度指标“{name}”没有说明调查方式", "在指标解释中写明调查方式，如“通过问卷调查了解满意度，满意度=满意人数/调查人数×100%”"),
    Code("IND639", "lint.suppression-without-reason", W, "免检标记“{text}”没有写明理由，未生效", "写明理由，如“noqa: IND611 理由：本项目不涉及成本”"),
    Code("IND640", "lint.suppression-unused", I, "免检标记“{text}”没有免除任何问题", "删除不再需要的免检标记"),
    Code("IND641", "lint.config-invalid", E, "审核配置有误：{detail}", None),
    Code("IND642", "lint.unknown-code", E, "未知的诊断代码“{text}”", "代码形如 IND603，全部代码见 docs/diagnostics.md"),
    Code("IND643", "lint.kind-column-contradicts", W, "指标值类型“{kind}”与{what}“{text}”不一致：{reason}", None),
    Code("IND644", "lint.formula-target-differs", W, "计算公式末尾写的指标值“{text}”与指标值栏的“{target}”不一致", None),
    Code("IND690", "lint.unknown-selector", E, "未知的规则选择“{text}”：应为代码（IND603）、代码前缀（IND6）或标识（lint.target-*、budget）", None),
    # --- IND7xx budget block --------------------------------------------------------------------
    Code("IND701", "budget.income-spending-mismatch", E, "支出合计与收入合计不相等：{detail}", None),
    Code("IND702", "budget.level-split-mismatch", E, "按预算级次划分的资金与财政拨款不相等：{detail}", None),
    Code("IND703", "budget.tasks-exceed-projects", E, "重点工作任务资金与项目支出不一致：{detail}", None),
    Code("IND704", "budget.rounding-difference", I, "{what}存在舍入差额：{detail}", None),
    Code("IND705", "budget.balanced", I, "{what}核对相符：{detail}", None),
    Code("IND706", "budget.project-funds-mismatch", E, "项目资金各项之和与资金总额不相等：{detail}", None),
    # --- IND8xx scoring -------------------------------------------------------------------------
    Code("IND801", "score.actual-missing", W, "未填报实际完成值，该项得 0 分", None),
    Code("IND802", "score.actual-unparseable", E, "实际完成值“{text}”无法识别", None),
    Code("IND803", "score.weights-do-not-add-up", W, "{scope}的分值合计为 {actual}，应为 {expected}", None),
    Code("IND804", "score.score-outside-band", E, "自评得分 {score} 超出“{tier}”档的得分区间 {band}", None),
    Code("IND805", "score.overshoot-needs-reason", W, "实际完成值超出指标值较多（{ratio}），需说明偏差原因", None),
    Code("IND806", "score.needs-baseline", W, "相对目标“{text}”缺少基期值，无法评分", None),
    Code("IND807", "score.not-comparable", W, "实际值无法与指标值比较：{reason}", None),
    Code("IND808", "score.unmatched-actual", W, "实际值文件中的“{name}”找不到对应的指标", None),
    Code("IND809", "score.budget-missing", W, "未提供预算执行数据（{missing}），预算执行率得 0 分", "在实际值文件中填写全年预算数、全年执行数，或使用 --budget-total/--budget-executed"),
    Code("IND810", "score.bad-number", E, "{what}“{text}”不是有效的数值", None),
    Code("IND811", "score.actuals-unreadable", E, "实际值文件无法读取：{reason}", "支持 CSV、XLSX、JSON 三种格式，格式见 docs/scoring.md"),
    Code("IND812", "score.duplicate-actual", W, "实际值文件中“{name}”出现多次，只采用第一次", None),
    Code("IND813", "score.chosen-score-ignored", I, "“{name}”按指标值自动评分，填报的自评得分 {score} 未采用", None),
    Code("IND814", "score.fraction-for-percent", W, "实际完成值“{text}”没有百分号，无法判断是比值还是百分数，该项未计分", None),
    Code("IND815", "score.weights-split-evenly", I, "一级指标“{level1}”下 {count} 个三级指标未填分值，按剩余的 {share} 分平均分配", "在分值栏写明各项分值"),
    Code("IND816", "score.shortfall-needs-reason", W, "未完成指标值（得分 {score} / {weight}），需说明偏差原因", "在“偏差原因分析及改进措施”栏说明未完成的原因和改进措施"),
    Code("IND817", "score.budget-overrun", W, "全年执行数 {executed} 超过{basis} {budget}（执行率 {rate}）", None),
    Code("IND818", "score.total-rescaled", I, "表中分值合计 {weights}{why}：总分 {total} 按 {scale} 分折算为 {scaled}，据此确定等级", None),
    Code("IND819", "score.budget-basis-fallback", I, "评分规则按{wanted}计算预算执行率，表中没有，改按{used}计算", None),
    Code("IND820", "score.level1-share-differs", I, "一级指标“{level1}”的分值合计 {actual}，与评分规则的 {expected} 分不同；表中未写一级指标分值，按表中各项分值计", "财预〔2020〕10号允许适当调整一级指标权重；如有调整依据请在表中写明"),
    Code("IND821", "score.overshoot-deducted", I, "实际完成值为指标值的 {ratio}，指标值设定可能明显偏低，按偏离度扣减 {deduction} 分", None),
    Code("IND822", "score.qualitative-unverified", I, "实际完成情况“{text}”无法自动判断是否达成，采用单位自评得分 {score}（“{tier}”档）", "按“达成/部分达成/未达成”填报，便于复核"),
    Code("IND823", "score.budget-rate-needs-reason", W, "预算执行率 {rate} 低于 {limit}，需说明原因", None),
    Code("IND824", "score.satisfaction-under-other-level1", I, "满意度指标“{name}”列在“{level1}”下（{level2}，旧版表样），满意度未单独计分", "新版表样中满意度指标为一级指标，分值 10 分"),
    # --- IND83x audit of completed self-evaluation tables ------------------------------------------------
    Code("IND830", "audit.shortfall-full-score", E, "未完成指标值（{detail}），却得满分 {score}", "按完成比例计分，或说明该项视为完成的依据"),
    Code("IND831", "audit.met-but-docked", W, "已完成指标值（{detail}），得分 {score} 却低于分值 {weight}", "写明扣分理由，或改为满分"),
    Code("IND832", "audit.score-above-weight", E, "得分 {score} 高于分值 {weight}", None),
    Code("IND833", "audit.lower-overrun-full-score", E, "反向指标超出上限（{detail}），却得满分 {score}", None),
    Code("IND834", "audit.score-differs", W, "填报得分 {published} 与复核得分 {recomputed} 不符（相差 {difference}）", None),
    Code("IND835", "audit.convention", I, "填报得分 {published} 与复核得分 {recomputed} 不同，但与本表的计分习惯一致：{convention}", None),
    Code("IND836", "audit.total-not-sum", E, "填报总分 {published} 不等于各行得分之和 {sum}", None),
    Code("IND837", "audit.budget-inconsistent", W, "预算执行率一行不一致：{detail}", None),
    Code("IND838", "audit.grade-mismatch", E, "自评等级“{published}”与总分 {total} 应得的“{expected}”不符", None),
    Code("IND839", "audit.not-recomputed", W, "该行无法复核：{reason}", None),
    Code("IND840", "audit.score-missing", W, "该行没有填报得分", None),
    Code("IND841", "audit.convention-found", I, "本表的得分{convention}（{count} 行与之一致）", None),
    Code("IND842", "audit.no-score-column", E, "表格没有“得分”栏，不是填报完成的绩效自评表", "审核的是填报了实际完成值、分值和得分的绩效自评表；申报表请用 indicators check"),
    Code("IND843", "audit.table-unreadable", E, "无法读取该表格：{reason}", None),
    Code("IND844", "score.budget-not-scored", I, "表中各项分值合计已为 {weights}（满分 {total}），没有预算执行率的分值；{rate} 仅作参考，不计分", "如需按预算执行率计分，请在表中列出预算执行率及其分值，并相应调整其他分值"),
    Code("IND845", "score.actual-similar-name", I, "实际值文件中的“{name}”按相近名称对应到指标“{matched}”", "实际值文件中的指标名称应与申报表一致"),
    # --- IND85x scoring a long table (score-batch) ------------------------------------------------------
    Code("IND850", "score-batch.missing-column", E, "长表缺少{what}列", "长表的列名见 catalog/long-table.yaml，如 单位、三级指标、指标值、实际完成值"),
    Code("IND851", "score-batch.unreadable-row", W, "第 {row} 行无法评分：{reason}", None),
    Code("IND852", "score-batch.unknown-policy", E, "没有评分规则“{name}”", None),
    Code("IND853", "score-batch.too-large", E, "{what} 为 {size}，超过上限 {limit}", "拆分长表（如按年度或单位）后分别评分"),
    # --- IND9xx HTTP service --------------------------------------------------------------------
    Code("IND900", "service.request-too-large", E, "请求过大：{size} 字节，上限为 {limit} 字节", "请拆分文件，或由服务管理员用 indicators serve --max-request-bytes 提高上限"),
    Code("IND901", "service.time-budget", E, "处理时间超过上限 {seconds} 秒，已停止等待", "请拆分文件，或由服务管理员用 indicators serve --time-budget 提高上限"),
    Code("IND902", "service.unauthorized", E, "缺少或不正确的访问密钥", "在请求头 Authorization: Bearer <密钥> 或 X-API-Key 中给出密钥"),
    Code("IND903", "service.invalid-request", E, "请求内容有误：{detail}", "请求格式见 docs/http.md 与 docs/openapi.json"),
    Code("IND904", "service.not-found", E, "没有这个地址：{path}", "可用的地址见 docs/http.md"),
    Code("IND905", "service.method-not-allowed", E, "地址 {path} 不接受 {method} 请求", "可用的方法见 docs/http.md"),
    Code("IND906", "service.internal-error", E, "服务内部错误，已记录在服务日志中（请求编号 {request_id}）", "请把请求编号告诉服务管理员"),
    Code("IND907", "service.unknown-name", E, "未知的{what}“{name}”", None),
)

BY_SLUG: dict[str, Code] = {c.slug: c for c in CODES.values()}


def lookup(code_or_slug: str) -> Code:
    """The table row for a code (``IND101``) or slug (``formula.unexpected-token``)."""
    row = CODES.get(code_or_slug) or BY_SLUG.get(code_or_slug)
    if row is None:
        raise KeyError(f"unknown diagnostic code {code_or_slug!r}")
    return row


def diagnostic(
    code: str,
    /,
    *,
    span: Span | None = None,
    text: str | None = None,
    location: Location | None = None,
    hint: str | None = None,
    severity: Severity | None = None,
    indicator: str | None = None,
    fix: str | None = None,
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Diagnostic:
    """Build a :class:`Diagnostic` from the table, filling the message template with ``fields``.

    ``text`` is the whole text the ``span`` points into (used for caret excerpts). The message field
    ``{text}`` defaults to the spanned part of ``text``.
    """
    row = lookup(code)
    if "text" not in fields and text is not None:
        fields["text"] = text[span.start : span.end] if span is not None else text
    try:
        message = row.message.format(**fields)
    except (KeyError, IndexError) as exc:  # a programming error: the template and the call disagree
        raise AssertionError(f"{row.code}: message template needs field {exc}") from exc
    return Diagnostic(
        code=row.code,
        slug=row.slug,
        severity=severity or row.severity,
        message=message,
        hint=hint if hint is not None else row.hint,
        span=span,
        location=location,
        text=text,
        indicator=indicator,
        fix=fix,
        data=data or {},
    )


def markdown_table() -> str:
    """``docs/diagnostics.md``: every code with its slug, severity and message (kept current by a test)."""
    areas = {
        "0": "General",
        "1": "Formula language",
        "2": "Targets and actual values",
        "3": "Units",
        "4": "Catalog",
        "5": "Form import and structure",
        "6": "Lint of indicator rows",
        "7": "Budget block",
        "8": "Scoring",
        "9": "HTTP service",
    }
    out = [
        "# Diagnostic codes",
        "",
        "Every diagnostic has a stable code and slug; codes are never renumbered. Messages are templates:",
        "`{…}` fields are filled with the text and figures of each finding. This page is generated from",
        "`src/indicators/codes.py` (`python -m indicators.codes > docs/diagnostics.md`).",
    ]
    current = None
    for row in sorted(CODES.values(), key=lambda r: r.code):
        area = row.code[3]
        if area != current:
            current = area
            out += ["", f"## IND{area}xx — {areas.get(area, 'Other')}", ""]
            out += ["| code | slug | severity | message | hint |", "|---|---|---|---|---|"]
        hint = row.hint or ""
        message = row.message.replace("|", "\\|")
        retired = " (retired)" if row.retired else ""
        out.append(f"| {row.code}{retired} | `{row.slug}` | {row.severity.value} | {message} | {hint} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
