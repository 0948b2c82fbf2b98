from etl.io import Quarantine
from etl.sources import read_ccda

DOCUMENT = """<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <recordTarget><patientRole>
    <id extension="pat-42"/>
    <addr><streetAddressLine>1044 Dickens Harbor</streetAddressLine><city>Marlborough</city>
      <state>Massachusetts</state><postalCode>01752</postalCode></addr>
    <patient><name><given>Lemuel304</given><family>Corwin846</family></name>
      <administrativeGenderCode code="M"/><birthTime value="19901017042421"/></patient>
  </patientRole></recordTarget>
  <component><structuredBody>
    <component><section><title>Medications</title><text><table><tbody>
      <tr><td>2019-02-01</td><td>lisinopril 10 mg</td></tr></tbody></table></text></section></component>
    <component><section><title>Social History</title>
      <text><paragraph>Never smoker.</paragraph></text></section></component>
  </structuredBody></component>
</ClinicalDocument>
"""


def test_when_ccda_read_then_patient_row_and_section_notes(tmp_path):
    (tmp_path / "a.xml").write_text(DOCUMENT)
    (tmp_path / "broken.xml").write_text("<ClinicalDocument")
    quarantine = Quarantine(tmp_path / "out", "ingest")
    patients, notes = read_ccda([tmp_path / "a.xml", tmp_path / "broken.xml"], tmp_path, quarantine)
    row = patients.iloc[0]
    assert (row["Id"], row["FIRST"], row["BIRTHDATE"], row["ZIP"]) == ("pat-42", "Lemuel304", "1990-10-17", "01752")
    assert [n.note_type for n in notes] == ["medications", "social history"]
    assert notes[0].text == "Medications\n2019-02-01 | lisinopril 10 mg" and notes[0].patient_id == "pat-42"
    assert quarantine.reasons() == {"malformed_ccda:ParseError": 1}
