"""Chinese patients and notes for the synthetic clinic (`clinetl synth --langs en,es,zh`): names, ID
numbers, phones and addresses as a Chinese clinic records them, planted in four kinds of note."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import TYPE_CHECKING

from faker import Faker

from etl.languages.zh.surrogates import _id_card
from etl.languages.zh.text import divisions, to_numeral
from etl.synth.clinical import CASES

if TYPE_CHECKING:
    from etl.synth.generator import Person

NOTE_TYPES = ["入院记录", "病程记录", "转诊信", "护理记录"]
_ROLES = {"wife": "妻子", "husband": "丈夫", "daughter": "女儿", "son": "儿子"}
_TEMPLATES = {
    "入院记录": """入院记录
姓名：{name}  性别：{sex}  出生日期：{dob}  住院号：{mrn}
身份证号：{id}  联系电话：{phone}
现住址：{address}
入院日期：{visit}  科室：骨科
主诉：{complaint}。
现病史：患者{name}，{age}岁，因{condition}于{visit}入住{hospital}。疼痛评分{before}/10。
既往史：否认高血压、糖尿病病史。
家属：{relative}（{role}），电话{rphone}。
初步诊断：{condition}。
诊疗计划：拟行{procedure}，予{drug}，疼痛评分下降后出院随访。
主治医师：{provider}
""",
    "病程记录": """病程记录 {visit}
主诉：{family}{address_form}诉症状较前好转，疼痛评分{after}/10。
评估：{condition}，{procedure}后恢复可。邮箱{email}，医保卡号{account}。
处理：继续{drug}治疗，{treatment}后两周复查。
医师签名：{provider}
""",
    "转诊信": """转诊信
{hospital}：
兹有患者{name}（{sex}，{age}岁，住院号{mrn}），诊断{condition}，经{treatment}治疗，现转贵院康复科继续治疗。
患者家住{city}，联系电话{phone}。
此致
{provider}  {visit}
""",
    "护理记录": """护理记录
{visit} 09:00 {bed}，患者{name}神志清，生命体征平稳，疼痛评分{after}分，遵医嘱予{drug}。
家属{relative}陪护，已告知注意事项。
护士签名：{nurse}
""",
}


def zh_person(rng: random.Random, fake: Faker, old: bool, person: type[Person]) -> Person:
    gender = rng.choice("MF")
    given = fake.first_name_male() if gender == "M" else fake.first_name_female()
    family = fake.last_name()
    born = (
        date(rng.randint(1928, 1933), rng.randint(1, 12), rng.randint(1, 28))
        if old
        else date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28))
    )
    province, city, district = rng.choice([r for r in divisions() if r[2] and r[1] != r[0]])
    street = f"{district}{fake.street_name()}{rng.randint(1, 300)}号{rng.randint(1, 20)}栋{rng.randint(101, 1802)}室"
    return person(
        id=str(uuid.UUID(int=rng.getrandbits(128))),
        lang="zh",
        first=given,
        last=family,
        gender=gender,
        birth=born,
        ssn=_id_card(rng),
        mrn=f"ZY{rng.randint(10_000_000, 99_999_999)}",
        phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
        email=f"{fake.user_name()}{rng.randint(1, 99)}@{rng.choice(['163.com', 'qq.com', 'sina.com'])}",
        street=street,
        city=city,
        state=province,
        zip=f"{rng.randint(100000, 859999)}",
        relative=f"{fake.last_name()}{fake.first_name()}",
        relative_role=rng.choice(list(_ROLES)),
        relative_phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
        provider=f"{fake.last_name()}{fake.first_name()}",
        hospital=f"{city.removesuffix('市')}市第{to_numeral(rng.randint(1, 5))}人民医院",
        account=f"{rng.randint(10**11, 10**12 - 1)}",
        case=rng.choice(CASES),
    )


def render_zh_note(note_type: str, p: Person, visit: date, rng: random.Random) -> tuple[str, str]:
    """(note text, the birth-date string used in it)."""
    dob = rng.choice([f"{p.birth.year}年{p.birth.month}月{p.birth.day}日", p.birth.isoformat()])
    age = visit.year - p.birth.year - ((visit.month, visit.day) < (p.birth.month, p.birth.day))
    case = p.case
    values = {
        "name": f"{p.last}{p.first}",
        "family": p.last,
        "address_form": "先生" if p.gender == "M" else "女士",
        "sex": "男" if p.gender == "M" else "女",
        "dob": dob,
        "age": str(age),
        "mrn": p.mrn,
        "id": p.ssn,
        "phone": p.phone,
        "email": p.email,
        "address": f"{p.state}{p.city}{p.street}",
        "city": p.city,
        "visit": f"{visit.year}年{visit.month}月{visit.day}日",
        "hospital": p.hospital,
        "relative": p.relative,
        "role": _ROLES[p.relative_role],
        "rphone": p.relative_phone,
        "provider": p.provider,
        "nurse": p.provider[::-1] if len(p.provider) > 2 else f"{p.provider}芳",
        "account": p.account,
        "bed": f"{rng.randint(1, 40)}床",
        "complaint": f"右膝疼痛{rng.randint(2, 18)}个月",
        "condition": case["condition"][0],
        "procedure": case["treatment"][0],
        "treatment": case["treatment"][1],
        "drug": case["medication"][1],
        "before": str(rng.randint(6, 9)),
        "after": str(rng.randint(1, 4)),
    }
    return _TEMPLATES[note_type].format(**values), dob
