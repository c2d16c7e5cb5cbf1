"""The curation queue: what it lists, and what it must not."""

from __future__ import annotations

from dossier.curation import likely_duplicates
from dossier.model import Actor, Mention


def actor(name: str, kind: str = "person") -> Actor:
    return Actor(id=name.lower().replace(" ", "-"), name=name, type=kind,
                 mentions=[Mention(name.lower(), "a", name, "PERSON", 0, 0, len(name))])


def pairs(*actors: Actor) -> set[tuple[str, str]]:
    return {(a.name, b.name) for a, b, _ in likely_duplicates(list(actors))}


def test_near_spellings_of_one_type_are_listed():
    assert pairs(actor("Juan Gonzales"), actor("Juan Gonzalez")) == {("Juan Gonzales", "Juan Gonzalez")}
    assert pairs(actor("Citgo Petroleum", "organization"), actor("CITGO Petroleum", "organization"))


def test_different_people_sharing_a_surname_are_not_duplicates():
    assert pairs(actor("Delcy Rodriguez"), actor("Jorge Rodriguez")) == set()


def test_different_types_or_distant_names_are_not_duplicates():
    assert pairs(actor("Jordan"), actor("Jordan", "place")) == set()
    assert pairs(actor("Vladimir Putin"), actor("Antony Blinken")) == set()


def test_an_edit_compares_again_only_the_blocks_of_names_it_changed(monkeypatch):
    from dossier import curation as report
    from dossier.results import Kept

    compared = []
    similar_names = report.similar_names
    monkeypatch.setattr(report, "similar_names", lambda kind, keys: compared.append(keys) or similar_names(kind, keys))
    store = Kept()
    names = [actor("Juan Gonzales"), actor("Juan Gonzalez"), actor("Maria Corina"), actor("Maria Corine")]
    first = likely_duplicates(names, store)
    assert len(compared) == 2  # the J names and the M names
    store.next_build()
    compared.clear()
    again = likely_duplicates([*names[:2], actor("Maria Corina"), actor("Maria Corinna")], store)
    assert compared == [["maria corina", "maria corinna"]]  # the J block kept its pair
    assert {(a.name, b.name) for a, b, _ in first} == {("Juan Gonzales", "Juan Gonzalez"), ("Maria Corina", "Maria Corine")}
    assert {(a.name, b.name) for a, b, _ in again} == {("Juan Gonzales", "Juan Gonzalez"), ("Maria Corina", "Maria Corinna")}


def test_what_still_looks_wrong_is_flagged_with_a_fix_to_paste():
    from dossier.curation import suspicious

    flagged = {a.name: (why, fix) for a, why, fix in suspicious([
        actor("Miami Herald", "place"), actor("Venezuelan"), actor("Tony Blair"), actor("Blair"), actor("Yukos"),
        actor("Reuters", "organization"), actor("Miguel Díaz-Canel"), actor("O'Gara (team)", "organization"),
        actor("Wales (team)", "organization")])}
    assert set(flagged) == {"Miami Herald", "Venezuelan", "Blair", "Yukos", "O'Gara (team)"}
    assert flagged["O'Gara (team)"][1] == "actors:\n  - name: O'Gara\n    merge: [\"O'Gara (team)\"]"
    assert flagged["Miami Herald"] == ("a known outlet typed place", "actors:\n  - name: Miami Herald\n    type: organization")
    assert flagged["Venezuelan"][1] == "ignore: [Venezuelan]"
    assert flagged["Blair"][1] == "actors:\n  - name: Tony Blair\n    merge: [Blair]"
    assert "one tag of the model" in flagged["Yukos"][0]
