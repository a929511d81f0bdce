"""The poster's certifications become facet words of each listing (``ciso9001``, see
sharing.search): appended to ``facet_document`` of every listing whose enterprise holds one,
valid or not, sorted by kind as ``facet_document()`` writes them. Run again, it writes the
same (the words already there are replaced)."""

from django.db import migrations

# Facet words of the certifications are the last words of the document; each is "c" and the
# kind (the other facets begin with other letters).
_STRIP = r"regexp_replace(l.facet_document, '( c[^ ]+)+$', '')"

FORWARD = f"""
UPDATE sharing_listing AS l
SET facet_document = {_STRIP} || c.words
FROM (
    SELECT enterprise_id, string_agg(' c' || kind, '' ORDER BY kind) AS words
    FROM (SELECT DISTINCT enterprise_id, lower(kind) AS kind FROM enterprises_certification) k
    GROUP BY enterprise_id
) AS c
WHERE l.enterprise_id = c.enterprise_id
"""
BACKWARD = f"UPDATE sharing_listing AS l SET facet_document = {_STRIP} WHERE l.facet_document ~ ' c'"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)
        return
    from sharing.search import FACET_CERTIFICATION, facet

    Listing = apps.get_model("sharing", "Listing")
    Certification = apps.get_model("enterprises", "Certification")
    kinds: dict[int, set[str]] = {}
    for enterprise_id, kind in Certification.objects.values_list("enterprise_id", "kind"):
        kinds.setdefault(enterprise_id, set()).add(kind)
    changed = []
    for listing in Listing.objects.filter(enterprise_id__in=kinds).only("facet_document", "enterprise"):
        words = [w for w in listing.facet_document.split() if not w.startswith(FACET_CERTIFICATION)]
        words += [facet(FACET_CERTIFICATION, k) for k in sorted(kinds[listing.enterprise_id])]
        listing.facet_document = " ".join(words)
        changed.append(listing)
    Listing.objects.bulk_update(changed, ["facet_document"], batch_size=500)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)
        return
    Listing = apps.get_model("sharing", "Listing")
    changed = []
    for listing in Listing.objects.only("facet_document"):
        words = [w for w in listing.facet_document.split() if not w.startswith("c")]
        if len(words) != len(listing.facet_document.split()):
            listing.facet_document = " ".join(words)
            changed.append(listing)
    Listing.objects.bulk_update(changed, ["facet_document"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0012_match_fk_indexes"),
        ("enterprises", "0003_audithead"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
