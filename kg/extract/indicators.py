"""Recognizes indicators: a metric, a number with its unit, the period and what it measures.

城镇新增就业2.44万人 -> metric 城镇新增就业, value 24400, unit 人. The metric is the noun phrase
right before the number (after an area or program, which is what the figure measures); a
number with no metric before it (超额19%) is not an indicator.
"""

from __future__ import annotations

import re
from decimal import Decimal

import cn2an
from spacy.language import Language

from kg.extract import vocab, wordclass
from kg.extract.context import Sentence, SentenceRecognizer, add_mention, after_last
from kg.extract.model import AREA, GROUP, INDICATOR, PROGRAM, Mention

# Measure words that count people are one unit (guide: 人): 3000名学生 -> 3000 人, 3位老人 -> 3 人.
PEOPLE_UNITS = {"名": "人", "位": "人"}
# Chinese numerals with a place word (三十, 两百) or a multiplier (三万人): a lone 一 is an article.
NUMBER = (r"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九]*[十百千][零〇一二两三四五六七八九十百千]*"
          r"|[一二两三四五六七八九](?=[万亿]))")


def figure_regex(measure_words: tuple[str, ...]) -> re.Pattern:
    """A figure with its unit, or a share in tenths (两成 -> 20 %). A measure word takes the noun
    it counts into the unit (30个工作日 -> 个工作日, guide); a unit may name its alternative in
    brackets: 2.5万套（间）, 57个县（市）. A figure in 万 or 亿 that ends its clause may carry
    no unit: its metric may name it (参保人数突破5100万, COUNT_METRIC)."""
    units = rf"(?:{vocab.alternation(measure_words)})(?:（[\u4e00-\u9fff]{{1,2}}）)?"
    return re.compile(rf"(?:{NUMBER}(?:余|多)?(?P<mult>万亿|千亿|百亿|万|亿)?(?:余|多)?(?:(?P<unit>{units})|(?<=[万亿])(?=[，。；、,;]|$))"
                      r"|(?P<tenths>[一二两三四五六七八九])成(?![本绩员果为立就]))(?!以内|之一)(?!(?<=节)[气日假约能])")


# A metric that counts in a unit of its own (参保人数, 惠及户数): the unit of a figure with none.
COUNT_METRIC = re.compile(r"(?P<unit>人次|人|户)数$")
# after an age figure that states one, and what its metric names (_states_an_age)
AGE_STATED = re.compile(r"(?:以上|左右)?(?:[，。；、,;]|$)")
AGE_METRIC = re.compile(r"寿命|年龄")
# The figure is a goal when the text says so before it in its clause group (guide: goals are not results).
GOAL = re.compile(r"力争|确保|目标|到20\d\d年|至20\d\d年|将达到|将达|预计|计划|争取|以上(?=[，。；])")
METRIC_VERBS = re.compile(
    r"(?:分别)?(?:已经|已|共|累计|达到|达|为|超过|超|增至|降至|提高到|提升至|增长|增加|突破|约|近|共计|实现|完成|有|拥有|是|"
    r"压缩至|压缩到|压减至|缩短至|缩短到|降低至|减少到|控制在|稳定在|保持在)+$"
)
# Digits may stand inside a metric as an age or a size (65岁及以上老年人医养结合服务率), with two characters of words at least.
METRIC = re.compile(r"^(?=(?:.*[\u4e00-\u9fff]){2})[\u4e00-\u9fff“”‘’·\d（）]{3,22}$")
# A metric's level before and after a change: 标准从每人每月2375元提高到2423元, 报销比例由50%提高到60%.
PER_HEAD = r"(?:每人每[月年]|人均)?"  # a level's base, before its figure
FROM_WORDS = rf"(?:从|由){PER_HEAD}"
FROM = re.compile(FROM_WORDS + "$")
TO = re.compile(r"(?:提高|提升|增加|增长|增|降低|降|减少|压缩|缩短|下降|扩大)(?:到|至)")
# A figure right after another that says how its metric changed: 59.7万人，同比增长21.3%.
CHANGE = re.compile(r"[，,]?(?P<change>(?:同比|环比|比上年|较上年|比去年)?(?:增长|下降|提高|增加|减少))了?")
# A metric is a noun phrase: not a clause with a verb of action or a particle in it (a rate may
# join two nouns: 专业与产业对接率; 覆盖/惠及 that close it name a scheme's reach: 长期护理保险覆盖|5634万人).
NOT_IN_METRIC = re.compile(r"[了的在将把被让使]|[和与](?![^和与]*(?:率|比例)$)|以及|惠及(?!$)|促进|吸引|规避|获评|交出|超额|连续|帮助|接近|已接|共有|覆盖(?!率|面|人口|$)|实行|办好|发布|等$|吹哨")
NOT_METRIC_START = re.compile(r"^(?:到?\d{4}年(?:底|末)?|今年|去年|明年|全年|实施|推动|确保|力争|已经|已|并|且|还|也|共|全市|全区|全县|全覆盖|目前|同时|其中|此外|我市|分别|通过|年|月)+")
YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)年")
UNTIL_MONTH = re.compile(r"截至(?:(20\d\d)年)?(今年|去年)?(\d{1,2})月")
# Full-width digits, decimal point and percent sign (２１．６万元, ８５％: older news pages) read as
# ASCII ones, character for character, so offsets into the sentence hold.
HALF_WIDTH_FIGURES = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11,
              "百亿": Decimal(10) ** 10, None: Decimal(1)}


def _states_an_age(text: str, fig: re.Match, metric: str) -> bool:
    """Whether a figure in 岁 states a lifespan or an age: it closes its clause (人均预期寿命达到80.2岁，
    …提高到80岁以上。) or is the level a change starts from (从80.2岁提升至…), and its metric names one,
    unbroken by a negation (寿命不超过5岁 is a bound). Not an age that describes the people after it
    (72岁的李奶奶, 3岁以下婴幼儿) or a person's (今年11岁)."""
    closes = AGE_STATED.match(text, fig.end()) or TO.match(text, fig.end())
    return bool(closes) and AGE_METRIC.search(metric) is not None and metric[-1] not in "不没"


def to_decimal(num: str) -> Decimal | None:
    try:
        return Decimal(num) if num[0].isdigit() else Decimal(str(cn2an.cn2an(num, "smart")))
    except (ArithmeticError, ValueError, KeyError, IndexError):  # cn2an raises KeyError on 十千 and the like
        return None


def period_of(sentence: str, before: int, year: int | None) -> str | None:
    if m := UNTIL_MONTH.search(sentence, 0, before + 1):
        y = int(m[1]) if m[1] else (year - 1 if m[2] == "去年" and year else year)
        return f"{y}-{int(m[3]):02d}" if y else None
    years = [m for m in YEAR.finditer(sentence) if m.start() < before]
    if years:
        return years[-1][1]
    if year and re.search(r"今年|本年", sentence[:before]):
        return str(year)
    if year and "去年" in sentence[:before]:
        return str(year - 1)
    return None


CLAUSE_BREAKS = "，。；：,;:（(、"


def _anchor(anchors, start: int, pos: int):
    """The last area or program between `start` and `pos`: what a figure there measures."""
    return next((a for a in reversed(anchors) if start <= a.start and a.end <= pos), None)


def is_goal(text: str, fig: re.Match, names: list[tuple[int, int]] = ()) -> bool:
    """A goal cue in the figure's clause group before it, or 以上 right after it in a plan. A cue
    inside a program's name (…就业创业行动计划) is no goal."""
    start = after_last(text, fig.start(), "；;。")
    return (any(not any(s <= cue.start() < e for s, e in names) for cue in GOAL.finditer(text, start, fig.start()))
            or text.startswith("以上", fig.end()))


def balanced_quotes(metric: str) -> str:
    """A metric without a quote mark its clause cut in half (“渝快办”办件量, not 渝快办”办件量)."""
    for open_, close in (("“", "”"), ("‘", "’")):
        if metric.count(open_) != metric.count(close):
            metric = metric.replace(open_, "").replace(close, "")
    return metric


# 养老保险、工伤保险参保人数分别达到2664万人、682万人: a list of metrics, then their figures in order.
# A list of metrics, or two modifiers of one at a clause's start (城镇和农村居民人均可支配收入分别…)
RESPECTIVELY = re.compile(rf"(?P<metrics>[\u4e00-\u9fff]{{2,12}}(?:、[\u4e00-\u9fff]{{2,16}})+"
                          rf"|(?:(?<=[，。；：,;])|^)[\u4e00-\u9fff]{{2,3}}和[\u4e00-\u9fff]{{2,16}})分别(?:达到|达|超过|突破|为|是|有|增长|增加|增至|降至|(?:提高|提升|下降|降低)(?:到|至)?{PER_HEAD}|{FROM_WORDS})?")


def respective_metrics(text: str, figure: re.Pattern) -> dict[int, str | None]:
    """Figure start offset -> its metric, for 'A、B…分别…X、Y' lists (the shared head distributed);
    None for the levels a change starts from."""
    paired: dict[int, str] = {}
    for m in RESPECTIVELY.finditer(text):
        parts = m["metrics"].split("、") if "、" in m["metrics"] else m["metrics"].split("和", 1)
        parts[0] = NOT_METRIC_START.sub("", parts[0]) or parts[0]
        head = parts[-1][len(parts[0]):] if len(parts[-1]) > len(parts[0]) else ""
        metrics = [p + head for p in parts[:-1]] + [parts[-1]]
        pos = m.end()
        while True:  # 分别从209元、280元提高到217元、290元: a list before and after the change
            figures = []
            while (fig := figure.match(text, pos)) and len(figures) < len(metrics):
                figures.append(fig)
                pos = fig.end() + 1 if text[fig.end():fig.end() + 1] in ("、", "和") else fig.end()
            if len(figures) != len(metrics):
                break
            to = TO.match(text, pos)
            # the levels before a change (分别从209元、280元提高到…) name no figure of their own: None
            paired.update({fig.start(): None if to else metric for fig, metric in zip(figures, metrics)})
            if not to:
                break
            pos = to.end()
    return paired


# What may stand between a verb and the figure it counts (引导超2万名高校毕业生), or open a clause
# before a count of people (近2000人通过…).
LEADS = "超过|超|近|约|达"
COUNT_LEAD = re.compile(rf"(?:{LEADS})$")
PERFECTIVE = re.compile(r"了$")
PEOPLE_COUNTED = {"人", "名", "位"}
PEOPLE_LEAD = re.compile(rf"(?:{LEADS})?")
# the nouns a figure counts, maybe with a bracketed alternative (师范（教师教育）院校), up to a
# clause mark, a verb of what they do, or a preposition or particle (232所优质高中|对县中的…)
COUNTED_NOUN = re.compile(r"[\u4e00-\u9fff“”\d（）]{2,12}?(?=[，。、；：,;对的等到]|实现|得到|稳定|参加|发展|享受|就业|扎根|$)")


NOUN_TAGS = {"n", "nz", "vn", "an", "nt", "j"}
VERB_TAGS = {"v", "vn", "vd", "a", "ad", "d"}
# A count right before a group: a number with 万 or 亿 (794.5万农民工), maybe 多/余, nothing after.
PEOPLE_COUNT = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<mult>万|亿)(?:多|余)?$")


def _counted_nouns_end(pos: int, tokens, groups: dict[int, int]) -> int | None:
    """The end of the run of nouns that starts at `pos`, two to twelve characters, or None: words
    jieba's dictionary calls nouns, or a group the text names (jieba tags 青年 a time word); a word
    it does not list (托育) may stand inside the run."""
    end = groups.get(pos, pos)
    for start, stop, word in tokens:
        if start < end:
            continue
        tag = wordclass.tag(word)
        if start != end or stop - pos > 12 or not (tag in NOUN_TAGS or (tag is None and end > pos and not word.isdigit())):
            break
        end = groups.get(stop, stop)
    return end if end - pos >= 2 else None


def _verb_before(text: str, pos: int, tokens) -> str | None:
    """The verb (by jieba's word class) right before a figure, with 超/近/约 after it: 实施3000个老旧小区,
    引导超2万名高校毕业生…"""
    lead = COUNT_LEAD.search(text, 0, pos) or PERFECTIVE.search(text, 0, pos)
    end = lead.start() if lead else pos
    word = next(((start, stop, w) for start, stop, w in tokens if stop == end), None)
    if word is None or word[1] - word[0] < 2:
        return None
    tag = wordclass.tag(word[2])
    # a word the dictionary does not know that opens its clause is its verb too (引育1000名…人才)
    opens = word[0] == after_last(text, word[0], CLAUSE_BREAKS) and re.fullmatch(r"[\u4e00-\u9fff]{2}", word[2])
    if tag not in ("v", "vn") and not (tag is None and opens):
        return None
    return text[word[0]:pos]


def _only_verbs(raw: str, pos: int, tokens) -> bool:
    """A short stretch before a figure made of verbs and modifiers only (新建设5个…中心): with nouns
    after the figure, it is the verb that counts them (新增就业2万人 names its metric)."""
    words = [w for start, stop, w in tokens if start >= pos - len(raw) and stop <= pos]
    return len(raw) <= 4 and "".join(words) == raw and all(wordclass.tag(w) in VERB_TAGS for w in words)


def _without_verb(raw: str, pos: int, tokens) -> str | None:
    """The metric after the verb that opens the stretch before a figure (发布|儿童友好社区), or None."""
    start = pos - len(raw)
    first = next(((a, b, w) for a, b, w in tokens if a == start), None)
    if first is None or first[1] - first[0] < 2 or wordclass.tag(first[2]) != "v":
        return None
    rest = raw[first[1] - start:]
    return rest if METRIC.match(rest) and not NOT_IN_METRIC.search(rest) and not _only_verbs(rest, pos, tokens) else None


def _list_item(text: str, raw: str, pos: int, previous) -> str | None:
    """A short noun right after 、 before a figure, when the figure before it in the clause had a
    metric of its own (…社区43个、医院53个): that noun is this figure's metric."""
    start = pos - len(raw)
    if (previous is None or not re.fullmatch(r"[\u4e00-\u9fff]{2}", raw) or text[start - 1:start] != "、"
            or previous[0] != start - 1 or NOT_IN_METRIC.search(raw)):
        return None
    return raw


def _before_verb(counted: str, pos: int, tokens) -> str:
    """The counted nouns up to the first verb after them with more words after it (吸引670家企业|入驻…平台;
    a verb that ends them is a noun: 老旧小区改造)."""
    for start, stop, word in tokens:
        if pos + 2 <= start and stop < pos + len(counted) and wordclass.tag(word) == "v":
            return counted[: start - pos]
    return counted


def _deed(text: str, pos: int, shortest: int = 3, longest: int = 12) -> str | None:
    """The rest of the clause from `pos`, when it is a short run of words with no verb of action or
    particle in it: what the people a figure counts did (…人|通过公益性岗位托底安置)."""
    deed = re.match(rf"[\u4e00-\u9fff]{{{shortest},{longest}}}(?=[，。；,;]|$)", text[pos:])
    return deed.group() if deed and not NOT_IN_METRIC.search(deed.group()) else None


def _next_word(tokens, pos: int) -> str | None:
    return next((word for start, _, word in tokens if start == pos), None)


@Language.factory("ms_indicators", assigns=["doc.spans", "span._.mention"], requires=["span._.mention"],
                  default_config={"measure_words": "measure_words.txt", "counting_verbs": "counting_verbs.txt"})
class IndicatorRecognizer(SentenceRecognizer):
    """`measure_words`: the units a figure may carry; `counting_verbs`: verbs after which a figure
    counts the noun that follows it (覆盖276个社区, 帮助20111户农户)."""

    def __init__(self, nlp: Language, name: str, measure_words: str, counting_verbs: str):
        self.name = name
        self.figure = figure_regex(vocab.words(measure_words))
        # the counting verb, maybe with a lead (覆盖了, 帮助超过), right before the figure
        self.counting_verb = re.compile(rf"(?:{vocab.alternation(vocab.words(counting_verbs))})(?:了|{LEADS})?$")

    def _metric_after(self, text: str, fig: re.Match, tokens, groups: dict[int, int],
                      list_verb: str | None) -> tuple[str | None, str | None]:
        """The metric after the figure, and the verb that counts it (a list's later items share
        it: 改造2.5万套城市危旧房、2.6万户城中村)."""
        listed = self.counting_verb.search(text, max(0, fig.start() - 6), fig.start())
        verb = listed.group() if listed else _verb_before(text, fig.start(), tokens) or list_verb
        return self._counted_metric(text, fig, tokens, groups, verb), verb

    @staticmethod
    def _counted_metric(text: str, fig: re.Match, tokens, groups: dict[int, int], verb: str | None) -> str | None:
        noun = COUNTED_NOUN.match(text, fig.end())
        counted = _before_verb(noun.group(), fig.end(), tokens) if noun else None
        end = _counted_nouns_end(fig.end(), tokens, groups)
        if verb is None and fig["unit"] in PEOPLE_COUNTED and PEOPLE_LEAD.fullmatch(
                NOT_METRIC_START.sub("", text[after_last(text, fig.start(), CLAUSE_BREAKS):fig.start()])):
            return _deed(text, fig.end())  # 近2000人通过公益性岗位托底安置: people opening a clause, and what they do
        if verb is None and end is not None:
            # 7800多名青年扎根涪陵, 为325名老人完成生存认证: with no counting verb before it, the
            # nouns the figure counts and what they do
            after = _next_word(tokens, end)
            if fig.end() in groups and after is not None:
                # a group the figure counts, and what its people do, to the clause's end (青年扎根涪陵)
                after = _deed(text, end, 2, 8) or after
            metric = text[fig.end():end] + (after or "")
            return metric if after and (wordclass.tag(after) in ("v", "vn") or len(after) > 2) and METRIC.match(metric) else None
        if counted is None and end is not None:
            counted = text[fig.end():end]  # 吸引670家企业入驻: the nouns the figure counts, up to a verb
        if verb and (counted is None or end is None) and verb.startswith(("其中", "有")):
            # 其中9.15万人稳定消除返贫致贫风险: what the counted people did is the metric
            deed = _deed(text, fig.end())
            if deed or counted is None:
                return deed
        if not verb or counted is None:
            return None
        counted = counted.replace("“", "").replace("”", "")
        metric = verb.rstrip("了超过近约达") + counted
        return metric if METRIC.match(metric) and not NOT_IN_METRIC.search(counted) else None

    def reads(self, sent: Sentence) -> bool:
        return not sent.heading  # a headline repeats a figure its article states in full

    def _recognize(self, sent: Sentence) -> None:
        ctx = sent.ctx
        text = sent.text.translate(HALF_WIDTH_FIGURES)
        anchors = sorted((m for m in sent.mentions if m.label in (AREA, PROGRAM) and not m.nested), key=lambda m: m.end)
        respective = respective_metrics(text, self.figure) if "分别" in text else {}
        previous: tuple[int, str, str | None] | None = None  # (end, metric, counting verb) of the last figure taken
        names = [(m.start, m.end) for m in sent.mentions if m.label == PROGRAM]
        groups = {m.start: m.end for m in sent.mentions if m.label == GROUP}
        for fig in self.figure.finditer(text):
            if fig.start() > 0 and (text[fig.start() - 1].isdigit() or text[fig.start() - 1] in ".—-"):
                continue
            if text[fig.start() - 1:fig.start()] == "第":
                continue  # 稳居全国第4位: a rank, not a count
            if any(s <= fig.start() < e for s, e in names):
                continue  # a number inside a name (“15分钟就业服务圈”) is no figure
            clause_start = after_last(text, fig.start(), CLAUSE_BREAKS)
            verb = None
            anchor = _anchor(anchors, clause_start, fig.start())
            metric_start = anchor.end if anchor else clause_start
            raw = text[metric_start:fig.start()]
            if start_value := FROM.search(raw):
                raw = raw[:start_value.start()]  # 最低标准从每人每月2375元提高到2423元: the metric is before 从
            if anchor is not None and not raw.strip("“”‘’"):
                raw = text[clause_start:anchor.start]  # 累计投放“富民贷”14.41亿元: the metric comes first
                lead = NOT_METRIC_START.sub("", METRIC_VERBS.sub("", raw).rsplit("的", 1)[-1])
                if anchor.label == PROGRAM and len(lead) < 3:
                    # 组建“红岩家庭医生团队”220个, 建成了…的生活服务圈65个: the program is what it counts
                    raw = text[clause_start:anchor.end]
            if anchor is not None and anchor.label == PROGRAM and 0 < len(METRIC_VERBS.sub("", raw).strip("“”‘’")) < 3:
                raw = text[anchor.start:fig.start()]  # 异地就医直接结算|率达到92%: the program's rate is the metric
            raw = METRIC_VERBS.sub("", raw)
            raw = raw.rsplit("的", 1)[-1]  # 满足…特点的生活服务圈65个: the noun after the last 的
            if "”" in raw and "“" not in raw.split("”")[0]:
                raw = raw.rsplit("”", 1)[1]  # the clause began inside a quote
            raw = NOT_METRIC_START.sub("", raw.lstrip("■●□◆·-—")).strip("“”‘’")
            if fig.start() in respective:
                raw = respective[fig.start()]
                if raw is None:
                    continue  # the levels a change starts from (分别从209元、280元提高到…) are no figures of their own
            elif previous and previous[0] + 1 == fig.start() and text[previous[0]] == "、":
                raw = previous[1]  # 分别增长816万人、307万人: a list of figures shares its metric
            elif previous and TO.fullmatch(text, previous[0], fig.start()):
                raw = previous[1]  # …从2375元提高到2423元: the new level of the same metric
            elif previous and (change := CHANGE.fullmatch(text, previous[0], fig.start())):
                raw = previous[1] + change["change"]  # 新增就业59.7万人，同比增长21.3%: the change of that metric
            elif (item := _list_item(text, raw, fig.start(), previous)) is not None:
                raw = item  # 发布儿童友好社区43个、医院53个: a later item of a list of metric-figure pairs
            elif (not METRIC.match(raw) or "分别" in raw or NOT_IN_METRIC.search(raw)
                  or (_only_verbs(raw, fig.start(), sent.words) and _counted_nouns_end(fig.end(), sent.words, groups))):
                # 发布儿童友好社区43个: the verb opens the clause, not the metric
                raw = _without_verb(raw, fig.start(), sent.words)
                if raw is None:  # 覆盖276个社区: the counted noun is the metric
                    in_list = previous and text[fig.start() - 1] == "、" and after_last(text, fig.start(), "，。；,;") <= previous[0]
                    raw, verb = self._metric_after(text, fig, sent.words, groups, previous[2] if in_list else None)
                    if raw is None:
                        continue
            value = to_decimal(fig["num"] or fig["tenths"])
            if value is None:
                continue
            raw = balanced_quotes(raw)
            if start_value and TO.match(text, fig.end()):
                previous = (fig.end(), raw, None)  # the level a change starts from (从2375元提高到2423元) names the new one's metric
                continue
            if fig["tenths"]:
                value, unit, base = value * 10, "%", value * 10
            else:
                unit = fig["unit"]
                if unit is None:  # 职工医保参保人数突破5100万: a count of people or households names its unit
                    named = COUNT_METRIC.search(raw)
                    if named is None:
                        continue
                    unit = named["unit"]
                base = value * MULTIPLIER[fig["mult"]]
                if unit in ("万人", "亿元", "万元", "万亩"):  # 1.2万亿元: both multipliers count
                    base, unit = base * MULTIPLIER[unit[0]], unit[1:]
                unit = "%" if unit == "％" else PEOPLE_UNITS.get(unit, unit)
            if unit == "岁" and not _states_an_age(text, fig, raw):
                continue  # 72岁的李奶奶, 3岁以下婴幼儿, 今年11岁, 寿命不超过5岁
            attrs = {
                "metric": raw,
                "value": format(base.normalize(), "f"),
                "unit": unit,
                "period": period_of(text, fig.start(), ctx.year),
                "measures": anchor,
                "is_target": is_goal(text, fig, names),
            }
            add_mention(sent, Mention(INDICATOR, fig.start(), fig.end(), fig.group(), f"{raw} {fig.group()}", attrs))
            previous = (fig.end(), raw, verb)
        self._people_counts(sent, text, anchors)

    @staticmethod
    def _people_counts(sent: Sentence, text: str, anchors) -> None:
        """A number of people written before the group it counts, with no measure word:
        全市794.5万农民工就业 -> 农民工就业 7945000 人."""
        tokens = sent.words
        taken = [(m.start, m.end) for m in sent.mentions if m.label == INDICATOR]
        names = [(m.start, m.end) for m in sent.mentions if m.label == PROGRAM]
        for g in [m for m in sent.mentions if m.label == GROUP and not m.nested]:
            count = PEOPLE_COUNT.search(text, max(0, g.start - 12), g.start)
            if count is None or any(s < g.start and count.start() < e for s, e in taken):
                continue
            value = to_decimal(count["num"])
            if value is None:
                continue
            after = _next_word(tokens, g.end)
            metric = g.text + after if after and wordclass.tag(after) == "v" else g.text
            anchor = _anchor(anchors, after_last(text, count.start(), CLAUSE_BREAKS), count.start())
            attrs = {"metric": metric, "value": format((value * MULTIPLIER[count["mult"]]).normalize(), "f"),
                     "unit": "人", "period": period_of(text, count.start(), sent.ctx.year), "measures": anchor,
                     "is_target": is_goal(text, count, names)}
            add_mention(sent, Mention(INDICATOR, count.start(), g.end, text[count.start():g.end],
                                      f"{metric} {count.group()}", attrs))
