import uuid

import pytest

from puls.core.links import UnknownLinkKind, link_create, links_from, links_to


@pytest.mark.django_db
def test_link_between_registered_kinds_is_stored_and_found_from_both_ends(personas):
    school, home = personas.units["210"], personas.units["310"]
    link = link_create(
        organisation=personas.org,
        source_kind="organisations.unit",
        source_id=school.pk,
        target_kind="organisations.unit",
        target_id=home.pk,
        kind="inspired_by",
        reason="Samme tiltag",
        target_detail={"scale": "trust"},
    )
    assert links_from(organisation=personas.org, kind="organisations.unit", object_id=school.pk) == [link]
    assert links_to(organisation=personas.org, kind="organisations.unit", object_id=home.pk) == [link]
    assert link.target_detail == {"scale": "trust"}


@pytest.mark.django_db
def test_link_to_another_organisations_object_is_refused(personas):
    with pytest.raises(LookupError):
        link_create(
            organisation=personas.org,
            source_kind="organisations.unit",
            source_id=personas.units["210"].pk,
            target_kind="organisations.unit",
            target_id=personas.other_unit.pk,
            kind="inspired_by",
        )


@pytest.mark.django_db
def test_link_to_unknown_kind_is_refused(personas):
    with pytest.raises(UnknownLinkKind):
        link_create(
            organisation=personas.org,
            source_kind="organisations.unit",
            source_id=personas.units["210"].pk,
            target_kind="nowhere.thing",
            target_id=uuid.uuid4(),
            kind="x",
        )
