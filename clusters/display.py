"""``get_FOO_display`` without translating every label of the field on each call.

Django's own looks the value up in ``dict(make_hashable(field.flatchoices))``, built anew on
each call: hashing a lazy label translates it, so a field of 30 units costs 30 translations
per call, and a listing card shows three such fields. Here the value-to-label map is built
once per field (the labels stay lazy, so each call still answers in the active language).
"""

from django.utils.encoding import force_str

_LABELS = "_display_labels"


class ChoiceDisplayMixin:
    def _get_FIELD_display(self, field):
        labels = field.__dict__.get(_LABELS)
        if labels is None:
            labels = dict(field.flatchoices)
            field.__dict__[_LABELS] = labels
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
