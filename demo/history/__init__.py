"""A synthetic national history of complaints, written with PostgreSQL COPY (`manage.py generate_history`).

Why not the services: they make one complaint in ~13 queries, 10 million would take days. The rows
are built here in memory, in the shapes the services write, and streamed with `COPY ... FROM STDIN`
(psycopg 3): complaints, complainants, their timeline and the audit records of every act. What they
look like:

- units: the districts of the demo organisation, weighted like the wilayas of the demo (Casablanca
  first); complaints against officers go to the Inspectorate, numbered with the wilaya of the place;
- categories and channels in the demo's proportions; a place clustered around the district's
  station (about a kilometre), an address on one of its real streets;
- time: spread over whole years up to now, more in summer and on weekdays, by hour of day (peaks late
  morning and evening), more each year;
- lives: assignment, qualification, investigation, sometimes a request to the complainant or a
  referral to the prosecutor, then closure with an outcome, with the demo's delays; a small share of
  complaints stalls and stays open past its deadline (overdue, escalated): the backlog every queue
  holds;
- complainants: one in eight anonymous; the others drawn from a population where some people
  complain several times (so the "same person" suggestion finds earlier complaints).

Generated history is marked as such: the tracking code hash is `generated` (no citizen can track a
generated complaint: no code was ever handed out) and every audit record's `actor_label` ends with
`(generated)`. Audit records are nonetheless keyed and chained exactly as the sealer does, from the
head of the existing chain, so `audit_verify` checks them like any other (a signed checkpoint is
appended at the end).

The modules: `columns` (tables, COPY columns and text format), `reference` (districts, categories,
population), `lives` (what happens to a complaint), `cases` (its rows and audit records), `calls`
(line 19), `writer` (the second connection, the progress bar) and `generator` (putting it together).
"""

from demo.history.columns import ACTOR_SUFFIX, CHUNK, GENERATED, Stats
from demo.history.generator import HistoryGenerator
from demo.history.reference import unit_tree_by_code
from demo.history.writer import progress_bar

__all__ = ["ACTOR_SUFFIX", "CHUNK", "GENERATED", "HistoryGenerator", "Stats", "progress_bar", "unit_tree_by_code"]
