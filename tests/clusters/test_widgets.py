"""clusters.widgets: the listing filters' widgets write Django's HTML themselves, with the
chosen values selected, the bound field's attributes, and model choices cached per language;
clusters.display: get_FOO_display from a map built once per field."""

import copy
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clusters import widgets
from clusters.models import Park, Region
from enterprises.choices import CertificationKind
from enterprises.models import Certification
from sharing.choices import ListingKind, Unit
from sharing.filters import ListingFilter
from sharing.models import Listing

pytestmark = pytest.mark.usefixtures("ref")


def _django_html(html: str) -> str:
    """Django's template output, written the way the widgets write it: without the newline
    that ``attrs.html`` leaves before ``>``, and without the class it gives options."""
    html = html.replace(' class="form-control" selected\n>', " selected>")
    html = html.replace(' class="form-control"\n>', ">").replace("\n>", ">")
    return re.sub(r"\n\n+", "\n", html)  # and the blank line each option template leaves


def _bound_form(data):
    return ListingFilter(data, queryset=Listing.objects.none()).form


DJANGO_WIDGETS = {
    widgets.Select: forms.Select,
    widgets.TextInput: forms.TextInput,
    widgets.NumberInput: forms.NumberInput,
    widgets.DateInput: forms.DateInput,
}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"region": "420100", "park": "", "kind": "order", "sort": "newest"},
        {"park": "999999", "price_min": "abc", "available_from": "2026-01-02", "industry": "C3"},
        {"kind": "<script>", "q": "x"},
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_field_renders_as_django_would(data, language):
    form = _bound_form(data)
    form.is_valid()
    fast_fields = 0
    with translation.override(language):
        for name, field in form.fields.items():
            if type(field.widget) not in DJANGO_WIDGETS:
                continue
            fast_fields += 1
            fast = str(form[name])
            # The same widget (attributes, choices, input type) rendered by Django's templates.
            original = field.widget
            field.widget = copy.copy(original)
            field.widget.__class__ = DJANGO_WIDGETS[type(original)]
            assert fast == _django_html(str(form[name])), name
            field.widget = original
    assert fast_fields == 13  # every field but q


def test_the_chosen_region_and_park_are_selected_once():
    park = Park.objects.order_by("pk")[3]
    html = str(_bound_form({"region": "420100", "park": str(park.pk)})["region"])
    assert html.count(" selected") == 1
    assert '<option value="420100" selected>武汉市</option>' in html
    html = str(_bound_form({"region": "420100", "park": str(park.pk)})["park"])
    assert f'<option value="{park.pk}" selected>{park.name}</option>' in html
    assert html.count(" selected") == 1


def test_an_invalid_choice_is_marked_for_assistive_technology():
    form = _bound_form({"park": "999999"})
    assert not form.is_valid() and "park" in form.errors
    html = str(form["park"])
    assert 'aria-invalid="true"' in html and 'id="id_park"' in html
    assert " selected" not in html.replace('value="" selected', "")


def test_options_are_cached_per_language_and_a_new_park_shows_at_once():
    with CaptureQueriesContext(connection) as first_time:
        for name in ("park", "region", "cluster"):
            str(_bound_form({})[name])
    with CaptureQueriesContext(connection) as queries:
        for name in ("park", "region", "cluster"):
            str(_bound_form({})[name])
    assert len(first_time) == 3 and len(queries) == 0

    first = Park.objects.order_by("pk").first()
    Park.objects.create(
        name="测试<新>园区 & 基地", level=first.level, type=first.type, region=first.region
    )
    html = str(_bound_form({})["park"])
    assert "测试&lt;新&gt;园区 &amp; 基地" in html

    with translation.override("en"):
        english = str(ListingKind.CAPACITY.label)
        html = str(_bound_form({})["kind"])
    assert english != str(ListingKind.CAPACITY.label)
    assert f'<option value="capacity">{english}</option>' in html


def test_a_filtered_queryset_is_not_taken_for_the_whole_table():
    field = forms.ModelChoiceField(
        queryset=Region.objects.filter(code="420100"), to_field_name="code"
    )
    assert [v for v, _html in widgets.options(field.choices)] == ["", "420100"]
    whole = forms.ModelChoiceField(queryset=Region.objects.all())
    assert len(widgets.options(whole.choices)) == Region.objects.count() + 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_labels_follow_the_language(language):
    listing = Listing(kind=ListingKind.CAPACITY, unit=Unit.choices[0][0], direction="offer")
    certification = Certification(kind=CertificationKind.ISO9001)
    with translation.override(language):
        assert listing.get_kind_display() == str(ListingKind.CAPACITY.label)
        assert listing.get_unit_display() == str(Unit.choices[0][1])
        assert certification.get_kind_display() == "ISO 9001"
    assert Listing(kind="unknown").get_kind_display() == "unknown"
    assert Listing(unit="").get_unit_display() == ""
