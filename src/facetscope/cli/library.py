"""The library: import, export, search, starter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from facetscope.cli import CommandError, command, setup_django


def _organisation(slug):
    from facetscope.organisations.models import Organisation

    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"no organisation with short name {slug!r}.")
    return organisation


def _library_args(p):
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="add or update items from JSON Lines or CSV (all or none)")
    imp.add_argument("file")
    imp.add_argument("--org", help="import as this organisation's private cases")
    imp.add_argument(
        "--no-index",
        action="store_true",
        help="do not embed the imported items now (run `facetscope library index` later)",
    )
    index = sub.add_parser(
        "index",
        help="embed the items search by meaning cannot see yet (resumable)",
        description="Embed every library item whose vector is not stored yet, in batches, "
        "each stored as it is done: an interrupted run goes on where it stopped.",
    )
    index.add_argument("--status", action="store_true", help="only say how many items have vectors")
    exp = sub.add_parser("export", help="write the items in the import format")
    exp.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    exp.add_argument("--org", help="export this organisation's private items instead")
    exp.add_argument("--output", help="file to write (default: standard output)")
    find = sub.add_parser("search", help="hybrid full-text and semantic search")
    find.add_argument("query")
    find.add_argument("--limit", type=int, default=10)
    find.add_argument("--format", choices=["json", "text"], default="text")
    find.add_argument("--type", choices=["case", "toolkit"])
    find.add_argument("--facet", choices=["enh", "mis", "ada", "ant"])
    find.add_argument("--country")
    find.add_argument("--level")
    find.add_argument("--sector")
    find.add_argument("--stage")
    find.add_argument("--year-from", type=int)
    find.add_argument("--year-to", type=int)
    find.add_argument("--full-text-only", action="store_true", help="skip semantic similarity")
    find.add_argument("--org", help="include this organisation's private cases")
    starter = sub.add_parser("starter", help="load the starter library shipped with Facetscope")
    starter.add_argument("--refresh", action="store_true", help="overwrite edited starter items")


def _index(*, status_only: bool = False, quiet_if_unavailable: bool = False) -> int:
    """Embed what is missing, with a progress bar on a terminal; 1 if the model is unusable."""
    from facetscope.library import vectors
    from facetscope.suggest.embedding import EmbeddingUnavailable

    if status_only:
        status = vectors.index_status()
        print(
            f"{status.indexed:,} of {status.items:,} items have vectors "
            f"({status.missing:,} missing)"
        )
        return 0
    encoder = vectors.embedder()
    if not encoder.available():
        print(
            f"note: items not embedded, search by meaning is off ({encoder.reason})",
            file=sys.stderr,
        )
        return 0 if quiet_if_unavailable else 1
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(
                total=total, file=sys.stderr, unit="item", desc="embedding", dynamic_ncols=True
            )
        if bar is not None:
            bar.update(done - bar.n)

    try:
        encoded = vectors.build_index(progress=progress)
    except EmbeddingUnavailable as exc:
        print(f"note: items not embedded, search by meaning is off ({exc})", file=sys.stderr)
        return 0 if quiet_if_unavailable else 1
    finally:
        if bar is not None:
            bar.close()
    print(f"embedded {encoded:,} items for search by meaning")
    return 0


@command("library", "The library of cases and toolkits: import, export, search.")(_library_args)
def library(args) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from facetscope.library import services
    from facetscope.library.records import RecordError, read_records, write_csv, write_jsonl
    from facetscope.library.search import search, visible_items

    if args.action == "starter":
        counts = services.starter_load(refresh=args.refresh)
        print(f"starter library: {counts['created']} added, {counts['updated']} updated")
        return 0
    if args.action == "import":
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from None
        try:
            records = read_records(data, path.name)
        except RecordError as exc:
            print(f"facetscope library import: {path}:\n{exc}", file=sys.stderr)
            return 2
        try:
            counts = services.library_import(
                actor=None, records=records, organisation=_organisation(args.org)
            )
        except ValidationError as exc:
            print("\n".join(exc.messages), file=sys.stderr)
            return 2
        print(f"imported {counts['created']} new and {counts['updated']} updated items")
        if not args.no_index:
            _index(quiet_if_unavailable=True)
        return 0
    if args.action == "index":
        return _index(status_only=args.status)
    if args.action == "export":
        organisation = _organisation(args.org)
        from facetscope.library.models import LibraryItem

        items = LibraryItem.objects.filter(organisation=organisation).order_by("key")
        records = [item.as_record() for item in items]
        text = write_jsonl(records) if args.format == "jsonl" else write_csv(records)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    filters = {
        k: getattr(args, k)
        for k in ("type", "facet", "country", "level", "sector", "stage", "year_from", "year_to")
    }
    if not visible_items().exists():
        print("note: the library is empty; run `facetscope library starter`", file=sys.stderr)
    results = search(
        args.query,
        organisation=_organisation(args.org),
        filters=filters,
        limit=args.limit,
        semantic=not args.full_text_only,
    )
    if results.notice:
        print(f"note: semantic search is off ({results.notice}); full text only", file=sys.stderr)
    if results.unindexed:
        print(
            f"note: {results.unindexed:,} items are not in the index of meanings yet "
            "(run `facetscope library index`); they are found by their words only",
            file=sys.stderr,
        )
    if args.format == "json":
        print(json.dumps([hit.as_json() for hit in results.hits], ensure_ascii=False))
    else:
        for hit in results.hits:
            print(f"{hit.score:.4f}  {hit.item.key}  [{hit.item.type}]  {hit.item.title}")
    return 0
