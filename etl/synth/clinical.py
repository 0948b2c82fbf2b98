"""Clinical content for synthetic notes: a regenerative-medicine practice (no identifiers in here)."""

from __future__ import annotations

CASES = [
    {
        "condition": ("Primary osteoarthritis of knee", "239873007"),
        "complaint": {
            "en": "right knee pain for {n} months",
            "es": "dolor en rodilla derecha de {n} meses de evolución",
        },
        "finding": {
            "en": "medial joint line tenderness, small effusion, crepitus with flexion; a Baker's cyst on ultrasound",
            "es": "dolor a la palpación de interlínea medial, derrame leve y crepitación; quiste de Baker en ecografía",
        },
        "treatment": ("Platelet-rich plasma injection of knee", "PRP"),
        "medication": ("Meloxicam 15 MG Oral Tablet", "meloxicam 15 mg daily"),
    },
    {
        "condition": ("Rotator cuff tendinopathy", "202852000"),
        "complaint": {
            "en": "left shoulder pain with overhead activity for {n} months",
            "es": "omalgia izquierda con actividades por encima de la cabeza desde hace {n} meses",
        },
        "finding": {
            "en": "positive Neer and Hawkins tests, painful arc between 70 and 120 degrees",
            "es": "maniobras de Neer y Hawkins positivas, arco doloroso entre 70 y 120 grados",
        },
        "treatment": ("Ultrasound-guided platelet-rich plasma injection of shoulder", "PRP"),
        "medication": ("Naproxen 500 MG Oral Tablet", "naproxen 500 mg twice daily"),
    },
    {
        "condition": ("Lateral epicondylitis", "202855003"),
        "complaint": {
            "en": "lateral elbow pain gripping objects for {n} months",
            "es": "dolor en epicóndilo lateral al agarrar objetos desde hace {n} meses",
        },
        "finding": {
            "en": (
                "tenderness over the common extensor origin, pain with resisted wrist extension (Cozen test positive)"
            ),
            "es": "dolor en el origen de los extensores, prueba de Cozen positiva",
        },
        "treatment": ("Prolotherapy injection of elbow", "prolotherapy"),
        "medication": ("Diclofenac 1% topical gel", "diclofenac 1% gel four times daily"),
    },
    {
        "condition": ("Plantar fasciitis", "202882003"),
        "complaint": {
            "en": "heel pain worst with first steps in the morning for {n} months",
            "es": "talalgia con los primeros pasos de la mañana desde hace {n} meses",
        },
        "finding": {
            "en": "point tenderness at the medial calcaneal tubercle, plantar fascia 6.1 mm on ultrasound",
            "es": "dolor a la palpación del tubérculo calcáneo medial, fascia plantar de 6,1 mm en ecografía",
        },
        "treatment": ("Extracorporeal shockwave therapy", "ESWT"),
        "medication": ("Ibuprofen 400 MG Oral Tablet", "ibuprofen 400 mg as needed"),
    },
    {
        "condition": ("Chronic low back pain", "279039007"),
        "complaint": {
            "en": "low back pain radiating to the buttock for {n} months",
            "es": "lumbalgia irradiada a glúteo de {n} meses de evolución",
        },
        "finding": {
            "en": "facet loading positive, straight leg raise negative, strength 5/5 bilaterally",
            "es": "maniobras facetarias positivas, Lasègue negativo, fuerza 5/5 bilateral",
        },
        "treatment": ("Bone marrow aspirate concentrate injection", "BMAC"),
        "medication": ("Acetaminophen 500 MG Oral Tablet", "acetaminophen 1 g three times daily"),
    },
]
COMORBIDITIES = {
    "en": [
        "Parkinson's disease",
        "Hashimoto's thyroiditis",
        "type 2 diabetes mellitus",
        "essential hypertension",
        "Crohn's disease",
        "no significant past medical history",
    ],
    "es": [
        "enfermedad de Parkinson",
        "tiroiditis de Hashimoto",
        "diabetes mellitus tipo 2",
        "hipertensión arterial",
        "enfermedad de Crohn",
        "sin antecedentes de interés",
    ],
}
