"""The large benchmark data set behind ``manage.py seed_bench`` (issue 7, ``make bench``).

A provincial deployment over ten years (ten sessions of three congress terms, 江川省):
deputies, handling units with their clerks, heads and supervising leaders, and the
suggestions with every record their state implies. Past years are mostly closed; the
current session's suggestions run through the whole lifecycle, with dates relative to
today, so that the pages, the admin and the reminder sweep read what a live system holds.

The modules: ``plan`` (the fixed accounts, the sessions, how many suggestions of each
state), ``tables`` (the names, topics and texts the rows are made of), ``texts`` (what each
suggestion says: a matter, its wording, its grams), ``copy`` (the columns written and the
writers), ``cast`` (the accounts, units and deputies), ``generator`` (the rows of the
suggestions), ``merges`` (merged suggestions, 并案) and ``seed`` (the whole run).

Since issue 14 every suggestion also has its ``SimilarityEntry`` (the finder's grams,
``similarity.as_text(similarity.grams(title, content))``, with 多年提 set on a matter
raised again and 多位代表提 on merged suggestions and their mains), and about 2.5 % are
merged into a main of their session. The texts name a site (a village, road, school ...)
and a detail, so that a matter's grams are its own and not the whole topic's; a large
load drops the finder's GIN index and builds it again after the copy.

How it is written:

- Rows are built as tuples of text, with ids allocated here past each table's sequence
  (set forward at the end), so a suggestion, its assignments, replies, sign-offs ...
  reference each other without reading anything back. PostgreSQL receives them through
  COPY on two connections of their own, one chunk of suggestions per transaction, while
  the next chunk is generated; other databases through ``executemany``. An interrupted
  run leaves whole chunks: the next run counts them and adds the rest.
- On those two connections only, the foreign keys' triggers are skipped
  (``session_replication_role = replica``, which ends with the session): the references
  are right by construction, and the tests load the same rows on SQLite with the keys
  checked. Unique and check constraints hold as always; the append-only tables' triggers
  refuse only UPDATE and DELETE, and every row is inserted once. Nothing is changed
  beyond the session. The written tables are analysed at the end.
- Incremental: the suggestions are counted by their ``created_by`` (the inactive account
  ``bench-seed``); a run adds what is missing to reach the total asked for, in the same
  proportions, and a second run with the same total adds nothing.
- The reminder sweep is taken to have run every day until yesterday: once the rows are
  in, the reminders due yesterday are written as sent (``HISTORY_SWEEP``). Today's sweep
  then finds what falls due today, as it would in a deployment, not years of backlog.
- No transition records (django-fsm-log) are written.
"""
