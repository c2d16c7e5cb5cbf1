"""Watch mode's own logic, apart from the file watcher and the dev server."""

from __future__ import annotations


def test_a_save_prints_new_warnings_and_counts_the_ones_printed_before(caplog):
    from dossier.problems import Problem
    from dossier.watch import report_problems

    old = Problem("seeds/a.txt", 3, "no date found", "warning")
    new = Problem("seeds/b.txt", None, "no title found", "warning")
    broken = Problem("content/x.md", 1, "bad front matter", "error")
    reported: set = set()
    report_problems([old, broken], reported)
    caplog.clear()
    report_problems([old, new, broken], reported)
    lines = [record.getMessage() for record in caplog.records]
    assert str(new) in lines and str(broken) in lines  # errors every time: they are what to fix
    assert str(old) not in lines
    assert "1 warning as before (the curation page and `python build.py report` list them)" in lines


def test_memory_settled_between_saves_is_collected_once_it_is_garbage():
    """What a session keeps is frozen out of the collector's sight between saves; once a later build
    drops it, the next settling collects it, cycles included: a long session does not grow."""
    import gc
    import weakref

    from dossier.watch import settle_memory

    class Kept:
        pass

    kept = Kept()
    kept.itself = kept  # a cycle: only the collector frees it
    alive = weakref.ref(kept)
    try:
        settle_memory()
        assert gc.get_freeze_count() > 0
        del kept
        gc.collect()
        assert alive() is not None  # frozen: a collection during the next save does not look at it
        settle_memory()
        assert alive() is None
    finally:
        gc.unfreeze()
