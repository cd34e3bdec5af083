"""The media desk's demo: one published communiqué of the central cell (so the public page and its
feed are never empty) and one draft of the Rabat cell, written through the services. Media items and
events are loaded by demo/loaders/media.py (the ingest side)."""

from __future__ import annotations

from media.services import CommuniqueText, communique_draft, communique_publish
from org.models import User

PUBLISHED = CommuniqueText(
    title_ar="حملة تحسيسية حول الاحتيال عبر الهاتف",
    title_fr="Campagne de sensibilisation contre les escroqueries par téléphone",
    body_ar=(
        "تطلق المديرية العامة للأمن الوطني حملة تحسيسية حول أساليب الاحتيال عبر الهاتف والرسائل القصيرة. "
        "وتذكر المديرية بأن مصالح الشرطة لا تطلب أبدا رموز البطاقات البنكية عبر الهاتف، وتدعو المواطنين إلى "
        "التبليغ عن كل محاولة احتيال لدى أقرب دائرة للشرطة أو عبر خط النجدة 19."
    ),
    body_fr=(
        "La DGSN lance une campagne de sensibilisation aux escroqueries par téléphone et par SMS. Elle rappelle "
        "que les services de police ne demandent jamais les codes des cartes bancaires par téléphone, et invite "
        "les citoyens à signaler toute tentative à l'arrondissement le plus proche ou au 19."
    ),
)
DRAFT = CommuniqueText(
    title_ar="توضيح بخصوص خبر متداول حول حي حسان بالرباط",
    title_fr="Mise au point au sujet d'une information relayée sur le quartier Hassan à Rabat",
    body_ar="مسودة: تتابع ولاية أمن الرباط ما يتم تداوله وستنشر التوضيحات اللازمة بعد التحقق من الوقائع.",
    body_fr="Brouillon : la wilaya de sûreté de Rabat suit l'information relayée et publiera les précisions utiles.",
)


class MediaDeskLoader:
    def load(self) -> dict[str, int]:
        central = User.objects.get(username="com.dgsn")
        rabat = User.objects.get(username="com.rabat")
        published = communique_draft(actor=central, kind="statement", text=PUBLISHED)
        communique_publish(communique=published, actor=central)
        communique_draft(actor=rabat, kind="statement", text=DRAFT)
        return {"published": 1, "drafts": 1}
