"""Chinese gold notes: clinical notes written from templates with PHI planted at known offsets and clinical
terms that must survive. Two families written apart: `dev` (the one looked at while building the Chinese
recognizers) and `heldout` (other phrasings, other note kinds: scored, never tuned on). Both are clinetl's
own text; a figure on them proves the mechanisms, not accuracy on a clinic's notes."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

from etl.languages.zh.surrogates import _id_card
from etl.languages.zh.text import divisions, to_numeral
from etl.synth.gold_notes import render

DEV = [
    """入院记录
姓名：{name}  性别：{sex}  年龄：{age}岁  住院号：{mrn}
入院日期：{date_ymd}  联系电话：{mobile}
现住址：{address}
主诉：{complaint}3天。
现病史：患者{name}于{date_md}无明显诱因出现{complaint}，就诊于{hospital}，诊断为{disease}。既往{disease2}病史5年，长期口服{drug}{dose}。
查体：{exam}。辅助检查：{lab}，{lab2}。{score}。
家属{relative}（{relation}）陪同，电话{mobile2}。
主治医师：{doctor}    记录者：{nurse}
""",
    """出院小结
患者{name}，{sex}，{age_old}，身份证号{id_card}，因“{complaint}”于{date_iso}入住我院{dept}，住院号{mrn}。
入院诊断：{disease}；{disease2}。
诊疗经过：予{drug}{dose}、{drug2}{dose2}治疗，{lab}。
出院医嘱：门诊随访，{date_cn}复查。如有不适请联系{doctor}医生，电话{landline}，邮箱{email}。
""",
    """护理记录
{date_md} 08:00 {bed}，{name_short}先生诉{complaint}，VAS评分{vas}分，遵医嘱予{drug}{dose}。
10:30 家属{relative}来访，留微信号{wechat}。
护士签名：{nurse}
""",
    """转诊信
{hospital_to}：
兹有患者{name}，{age}岁，家住{city}{district}，医保卡号{insurance}，患{disease}，拟转贵院进一步治疗。
{lab}。{score}。
此致
{hospital}  {dept}  {doctor}
{date_ymd}
""",
]

HELDOUT = [
    """门诊病历
就诊时间：{date_iso}   门诊号：{mrn}   患者：{name}（{sex}，{age}岁）
工作单位：{hospital}附近某公司，现居{city}。
患者自述{complaint}一周，曾在{hospital_to}就诊，服{drug}{dose}效果欠佳。有{disease}史。
检查：{lab}；{lab2}。评估：{score}。
处理：{drug2}{dose2}，{date_md}复诊。接诊医师 {doctor}
""",
    """会诊记录
申请科室：{dept}  床号：{bed_no}  病案号：{mrn}
{name}，{sex}，{age_old}。{date_cn}因{complaint}收入院，入院后诊断{disease}，合并{disease2}。
其{relation}{relative}代诉：患者平素体健，联系手机 {mobile_spaced}。
会诊意见：完善{lab}等检查，可加用{drug}{dose}。
会诊医师：{doctor}（{hospital}）
""",
    """病程记录
{date_ymd} 查房记录
今日{doctor}主任查房，{name_short}女士一般情况可，{exam}，{score}。
{lab}，{lab2}。继续{drug}{dose}，密切观察。
患者儿子{relative}（身份证{id_card}）签署知情同意书。
经治医师：{nurse}
""",
    """随访电话记录
随访日期：{date_md_cn}
随访对象：{name}之{relation}{relative}，电话（{area}）{landline_local}
患者目前居住在{address}，{disease}控制尚可，规律服用{drug}{dose}，未再发作{complaint}。
随访人：{nurse}  {hospital}
""",
]

# Written after the recognizers were analysed on dev and heldout, and measured once: never tuned on.
BLIND = [
    """出院记录
科别：{dept}    床位：{bed}    病案号 {mrn}
患者姓名 {name}    入院时间 {date_iso}    出院时间 {date_md}
出院情况：患者{age}岁，{complaint}缓解，{exam}。{lab}。
出院带药：{drug} {dose}；{drug2} {dose2}。
注意事项：{date_cn}来我院门诊复诊，挂号请拨打{landline}。
家属签字：{relative}    医生：{doctor}
""",
    """手术记录
手术日期：{date_ymd}    手术医师：{doctor}    助手：{nurse}
术前诊断：{disease}    术后诊断：同术前
患者{name}取仰卧位，麻醉满意后常规消毒铺巾……手术顺利，术后安返病房。
术中出血约50ml，{lab}。
""",
    """急诊病历
{date_ymd} 23:40 由{relation}{relative}陪同步行入院。
患者{name}，{sex}，{age_old}，住{address}，身份证 {id_card}，联系人电话{mobile}。
诉{complaint}2小时。既往{disease}。查体：{exam}。{score}。
处置：{drug}{dose}静滴，留观。值班医师：{doctor}
""",
    """家属沟通记录
时间：{date_md}    地点：{dept}医生办公室
参加人员：患者之{relation}{relative}、主治医师{doctor}
内容：向家属交代患者{name}病情，目前诊断{disease}、{disease2}，{lab}，建议继续住院治疗。
家属表示理解，联系方式：{mobile_spaced}，邮箱 {email}。
""",
]

# A second blind family, written after the blind one was measured, measured once.
BLIND2 = [
    """检验报告单
送检医院：{hospital}    送检科室：{dept}    标本号：{mrn}
姓名 {name}  性别 {sex}  年龄 {age}岁  采样时间 {date_iso}
结果：{lab}；{lab2}。
检验者 {nurse}    审核者 {doctor}    报告日期 {date_md}
""",
    """门诊处方
{hospital} 处方笺    费别：医保    医保卡号：{insurance}
{name}  {sex}  {age}岁    临床诊断：{disease}
Rp：{drug} {dose}；{drug2} {dose2}
医师：{doctor}   调配：{nurse}   {date_ymd}
""",
    """健康体检报告
体检编号：{mrn}   受检者：{name}   单位：{hospital_to}
出生日期：{date_cn}   电话 {mobile}   地址 {address}
主检结论：{disease}待排，{lab}，建议{dept}就诊。
主检医师 {doctor}
""",
    """随访短信记录
【{hospital}】{name}您好，您预约的{dept}复诊时间为{date_md}上午，如需改约请回复或致电{landline}。
患者回复：好的，谢谢。我是{name}的{relation}{relative}，到时陪他过来。
记录人 {nurse}
""",
]

# A third blind family, written after blind2 was analysed, before anything else changed; measured once.
BLIND3 = [
    """死亡讨论记录
讨论日期：{date_ymd}    主持人：{doctor}    记录：{nurse}
患者{name}，住院号{mrn}，因{disease}于{date_md}入院，经抢救无效于{date_cn}死亡。
家属{relative}（{relation}）已签署尸检告知书，联系方式{mobile}。
""",
    """麻醉记录单
患者：{name}  年龄：{age_old}  ASA分级：II级  病案号：{mrn}
麻醉医师 {doctor}、{nurse}；手术间：3号
术前用药：{drug}{dose}。术中{lab}。
""",
    """转院申请
申请人：{relative}，系患者{name}之{relation}，身份证号码{id_card}，现住{address}。
因患者{disease}病情需要，申请转至{hospital_to}继续治疗，经{hospital}{dept}{doctor}医生同意。
申请日期：{date_iso}
""",
    """门诊随诊
{date_md_cn}，{name}（{sex}）来诊，自诉{complaint}较前减轻。{score}。
今日由其{relation}陪同，留联系电话 {mobile_spaced}，邮箱{email}。
嘱继续{drug}{dose}，一月后复诊。 —— {doctor}
""",
]

# A fourth blind family, written at the end, after every change; measured once.
BLIND4 = [
    """疫苗接种登记
受种者 {name}，{sex}，{age}岁，接种单位{hospital}，接种日期{date_iso}，接种护士{nurse}。
监护人{relative}，联系电话{mobile}，家庭住址{address}。
""",
    """康复治疗记录
治疗师：{nurse}    患者：{name}（住院号 {mrn}）
{date_md}：{complaint}，{score}，予{drug}{dose}后疼痛缓解。下次治疗{date_md_cn}。
""",
    """投诉处理记录
来电人{relative}称其{relation}{name}于{date_ymd}在{hospital}{dept}就诊时等候过久，来电号码{landline}。
处理人：{doctor}。已回电致歉。
""",
    """病危通知书
{name}家属：
患者因{disease}病情危重，随时可能危及生命，特此告知。
主管医生：{doctor}    告知时间：{date_cn}    家属签名：{relative}
""",
]

# written after the trained name backstop, measured once
BLIND5 = [
    """交接班记录
{date_md} 夜班 {bed}
{name} {age}岁 {disease}术后第2天，{exam}，{lab}。夜间诉{complaint}，予{drug}{dose}。
交班：{nurse}  接班：{doctor}
""",
    """输血记录单
受血者 {name}  血型A型Rh阳性  病案号 {mrn}
输血时间 {date_iso} 14:20  输注红细胞2U，无不良反应。
核对者 {nurse} / {doctor}
""",
    """致患者家属的信
尊敬的{relative}：
您的{relation}{name}已于{date_cn}顺利出院。出院诊断：{disease}。请按时服用{drug}{dose}，{date_md_cn}来院复查{lab2}。
{hospital}{dept} {doctor}敬上
""",
    """多学科讨论记录
讨论日期：{date_ymd}
参加人员：{doctor}、{nurse}、{relative}
病例：{name}，{sex}，{age}岁，{disease}合并{disease2}，{score}。
结论：继续{drug2}{dose2}治疗。联系电话{mobile}
""",
]

_COMPLAINTS = ["胸痛", "头痛", "腹痛", "发热", "咳嗽咳痰", "胸闷气短", "恶心呕吐", "腰痛", "头晕", "关节肿痛"]
_DISEASES = ["帕金森病", "阿尔茨海默病", "克罗恩病", "桥本甲状腺炎", "川崎病", "霍奇金淋巴瘤", "马凡综合征",
             "2型糖尿病", "高血压病3级", "冠状动脉粥样硬化性心脏病", "慢性阻塞性肺疾病", "格林-巴利综合征"]  # fmt: skip
_DRUGS = ["阿司匹林", "二甲双胍", "氯吡格雷", "阿托伐他汀", "硝苯地平控释片", "胰岛素", "头孢曲松", "奥美拉唑", "左旋多巴",
          "美托洛尔"]  # fmt: skip
_DOSES = ["100mg qd", "0.5g bid", "20mg qn", "10U 皮下注射", "1g ivgtt q12h", "25mg bid"]
_LABS = ["血红蛋白 125 g/L", "白细胞 6.5×10^9/L", "肌酐 88 μmol/L", "空腹血糖 7.8 mmol/L", "血小板 210×10^9/L",
         "糖化血红蛋白 7.2%", "肌钙蛋白I 0.02 ng/mL"]  # fmt: skip
_SCORES = ["VAS评分3分", "GCS 15分", "NRS评分4分", "Barthel指数60分", "NYHA心功能II级"]
_EXAMS = ["双肺呼吸音清", "心率78次/分，律齐", "腹软无压痛", "神志清楚，精神可"]
_DEPTS = ["心内科", "神经内科", "消化内科", "内分泌科", "骨科", "呼吸与危重症医学科"]
_RELATIONS = ["女儿", "儿子", "妻子", "丈夫", "母亲"]
_HOSPITAL_HEADS = ["人民医院", "第一人民医院", "中医院", "中心医院", "妇幼保健院", "附属医院"]


def _slot_makers(rng: random.Random, fake: Faker, visit: date) -> dict[str, Callable[[], tuple[str, str]]]:
    name = f"{fake.last_name()}{fake.first_name()}"
    province, city, district = rng.choice([r for r in divisions() if r[2] and r[1] != r[0]])
    other_city = rng.choice([r for r in divisions() if r[1] and not r[2]])[1]
    when = visit + timedelta(days=rng.randint(0, 30))
    later = when + timedelta(days=rng.randint(7, 60))
    street = f"{fake.street_name()}{rng.randint(1, 300)}号"
    estate = rng.choice(
        [
            "",
            f"{rng.choice(['阳光', '幸福', '锦绣', '翠苑', '金色'])}小区{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(101, 2402)}室",
        ]
    )
    mobile = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    area = rng.choice(["010", "020", "021", "0755", "0571", "028"])
    phi: dict[str, Callable[[], tuple[str, str]]] = {
        "name": lambda: (name, "PERSON"),
        "name_short": lambda: (name[0], "PERSON"),
        "relative": lambda: (f"{fake.last_name()}{fake.first_name()}", "PERSON"),
        "doctor": lambda: (f"{fake.last_name()}{fake.first_name()}", "PERSON"),
        "nurse": lambda: (f"{fake.last_name()}{fake.first_name()}", "PERSON"),
        "mrn": lambda: (rng.choice(["", "ZY", "MZ"]) + str(rng.randint(100000, 99999999)), "MRN"),
        "insurance": lambda: (f"{rng.randint(10**9, 10**12)}", "ID"),
        "id_card": lambda: (_id_card(rng), "ID"),
        "mobile": lambda: (mobile, "PHONE"),
        "mobile2": lambda: (f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}", "PHONE"),
        "mobile_spaced": lambda: (f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", "PHONE"),
        "landline": lambda: (f"{area}-{rng.randint(2000000, 89999999)}", "PHONE"),
        "landline_local": lambda: (f"{rng.randint(2000000, 89999999)}", "PHONE"),
        "area": lambda: (area, "PHONE"),
        "email": lambda: (f"{fake.user_name()}@{rng.choice(['163.com', 'qq.com', 'sina.com'])}", "EMAIL"),
        "wechat": lambda: (f"{fake.user_name()}{rng.randint(10, 99)}", "ID"),
        "address": lambda: (f"{province}{city}{district}{street}{estate}", "STREET_ADDRESS"),
        "city": lambda: (city, "LOCATION"),
        "district": lambda: (district, "LOCATION"),
        "hospital": lambda: (f"{other_city.removesuffix('市')}市{rng.choice(_HOSPITAL_HEADS)}", "ORGANIZATION"),
        "hospital_to": lambda: (f"{city.removesuffix('市')}{rng.choice(_HOSPITAL_HEADS)}", "ORGANIZATION"),
        "date_ymd": lambda: (f"{when.year}年{when.month}月{when.day}日", "DATE"),
        "date_md": lambda: (f"{when.month}月{when.day}日", "DATE"),
        "date_iso": lambda: (
            when.isoformat() if rng.random() < 0.5 else f"{when.year}/{when.month}/{when.day}",
            "DATE",
        ),
        "date_cn": lambda: (
            f"{to_numeral(later.year, True)}年{to_numeral(later.month)}月{to_numeral(later.day)}日",
            "DATE",
        ),
        "date_md_cn": lambda: (f"{to_numeral(later.month)}月{to_numeral(later.day)}日", "DATE"),
        "bed": lambda: (f"{rng.randint(1, 60)}床", "ID"),
        "bed_no": lambda: (str(rng.randint(1, 60)), "ID"),
        "age_old": lambda: (f"{rng.randint(90, 104)}岁", "AGE"),
    }
    keep: dict[str, Callable[[], tuple[str, str]]] = {
        "complaint": lambda: (rng.choice(_COMPLAINTS), "KEEP"),
        "disease": lambda: (rng.choice(_DISEASES), "KEEP"),
        "disease2": lambda: (rng.choice(_DISEASES), "KEEP"),
        "drug": lambda: (rng.choice(_DRUGS), "KEEP"),
        "drug2": lambda: (rng.choice(_DRUGS), "KEEP"),
        "dose": lambda: (rng.choice(_DOSES), "KEEP"),
        "dose2": lambda: (rng.choice(_DOSES), "KEEP"),
        "lab": lambda: (rng.choice(_LABS), "KEEP"),
        "lab2": lambda: (rng.choice(_LABS), "KEEP"),
        "score": lambda: (rng.choice(_SCORES), "KEEP"),
        "vas": lambda: (str(rng.randint(1, 9)), "KEEP"),
        "exam": lambda: (rng.choice(_EXAMS), "KEEP"),
        "dept": lambda: (rng.choice(_DEPTS), "KEEP"),
    }
    plain: dict[str, Callable[[], tuple[str, str]]] = {
        "sex": lambda: (rng.choice(["男", "女"]), "TEXT"),
        "age": lambda: (str(rng.randint(18, 85)), "TEXT"),
        "relation": lambda: (rng.choice(_RELATIONS), "TEXT"),
    }
    return {**phi, **keep, **plain}


def generate_zh_gold(count: int, family: str = "dev", seed: int = 2026) -> list[dict[str, Any]]:
    families = {"dev": DEV, "heldout": HELDOUT, "blind": BLIND, "blind2": BLIND2, "blind3": BLIND3, "blind4": BLIND4,
                "blind5": BLIND5}  # fmt: skip
    templates = families[family]
    rng = random.Random(f"{family}:{seed}")
    docs = []
    for index in range(count):
        fake = Faker("zh_CN")
        fake.seed_instance(rng.randint(0, 10**9))
        visit = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1400))
        doc = render(templates[index % len(templates)], _slot_makers(rng, fake, visit))
        doc["spans"] = [s for s in doc["spans"] if s["label"] != "TEXT"]
        docs.append({"id": f"zh-{family}-{index:04d}", "lang": "zh", **doc})
    return docs


def write_zh_gold(path: Path, count: int, family: str = "dev", seed: int = 2026) -> int:
    rows = generate_zh_gold(count, family, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return len(rows)
