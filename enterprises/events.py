"""What the enterprises app tells the apps above it (which it may not import).

``certifications_changed`` is sent, inside the change's transaction, after an enterprise's
certifications were added, removed or edited (the services and the admin's inline), with
``enterprise_id``. The sharing app keeps its listings' certification facets from it
(``sharing.services.refresh_certification_facets``); the rule lives there, not here.
"""

from django.dispatch import Signal

certifications_changed = Signal()


def certifications_changed_for(enterprise_id: int) -> None:
    certifications_changed.send(sender=None, enterprise_id=enterprise_id)
