"""Form widgets rendered in Python, for forms shown on busy pages (the listing filters).

Django renders a ``<select>`` through a template per option (``select_option.html``, which
includes ``attrs.html``): 250 options of the listing filters took about half of that page's
time. These widgets write the same HTML, with the same rule for Bootstrap's class as
``templates/django/forms/widgets/attrs.html`` and the attributes the bound field gives them
(``id``, ``aria-invalid``, ``aria-describedby``, ``required``), in a few string joins.

The choices of a model choice field over a whole table (regions, parks, clusters: reference
data) are kept in the process, per language, for ``MODEL_CHOICES_SECONDS``; saving or deleting
a row of such a table forgets them in this process at once, in the others within that time.
"""

from __future__ import annotations

import time

from django import forms
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

MODEL_CHOICES_SECONDS = 60

# (model, field class, to_field_name, empty label, null label, language) -> (expires, choices)
_model_choices: dict[tuple, tuple[float, list[tuple[str, str]]]] = {}
_cached_models: set[str] = set()


def forget_model_choices() -> None:
    _model_choices.clear()


def _forget_model_choices(sender, **kwargs) -> None:
    if sender._meta.label_lower in _cached_models:
        forget_model_choices()


post_save.connect(_forget_model_choices, dispatch_uid="clusters-widgets-choices-save")
post_delete.connect(_forget_model_choices, dispatch_uid="clusters-widgets-choices-delete")


def _whole_table(queryset) -> bool:
    """A queryset of every row in the model's default order, so its choices can be shared."""
    query = queryset.query
    return not (
        query.where
        or query.order_by
        or query.annotations
        or query.extra
        or query.distinct
        or query.is_sliced
    )


def _as_html(choices) -> list[tuple[str, str]]:
    return [
        (
            value := str(option_value),
            f'\n  <option value="{conditional_escape(value)}">{conditional_escape(label)}</option>',
        )
        for option_value, label in choices
    ]


def options(choices) -> list[tuple[str, str]]:
    """Each choice's value (as text) and its ``<option>``, escaped, not selected."""
    if not isinstance(choices, ModelChoiceIterator) or not _whole_table(choices.queryset):
        return _as_html(choices)
    field = choices.field
    model = choices.queryset.model._meta.label_lower
    key = (
        model,
        type(field),
        type(choices),
        field.to_field_name,
        None if field.empty_label is None else str(field.empty_label),
        str(getattr(field, "null_label", None)),
        get_language(),
    )
    now = time.monotonic()
    cached = _model_choices.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    found = _as_html(choices)
    _cached_models.add(model)
    _model_choices[key] = (now + MODEL_CHOICES_SECONDS, found)
    return found


def flat_attrs(attrs: dict, default_class: str) -> str:
    """``attrs.html``: Bootstrap's class unless one is set, then each attribute in order
    (``True``: the bare name; ``False``: left out)."""
    parts = [] if "class" in attrs else [f' class="{default_class}"']
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {name}")
        elif value is not False:
            parts.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        values = self.format_value(value)
        shown = []
        has_selected = False
        for option_value, html in options(self.choices):
            if not has_selected and option_value in values:
                has_selected = True  # the first match only, as Django's optgroups
                html = html.replace(">", " selected>", 1)  # the value is escaped: no ">"
            shown.append(html)
        return mark_safe(  # noqa: S308 - every value and label is escaped above
            f'<select name="{conditional_escape(name)}"{flat_attrs(attrs, "form-select")}>'
            f"{''.join(shown)}\n</select>"
        )


class _InputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
        return mark_safe(  # noqa: S308 - escaped above
            f'<input type="{self.input_type}" name="{conditional_escape(name)}"{shown}'
            f"{flat_attrs(attrs, 'form-control')}>"
        )


class TextInput(_InputMixin, forms.TextInput):
    pass


class NumberInput(_InputMixin, forms.NumberInput):
    pass


class DateInput(_InputMixin, forms.DateInput):
    pass
