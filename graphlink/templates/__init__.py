"""Prompt templates: the fixed scaffold many prompts share, mined from raw prompt text.

Distillation traffic is stamped from a few scaffolds tens of thousands of
times, around a long variable part (a whole problem, a code file), and
careful operators paraphrase the scaffold per request or per account.
Hashing whole prompts finds nothing, and masking numbers is not enough.  This
stage turns ``requests.prompt`` into template ids (``request_templates``) and
describes every template (``templates``): a readable skeleton, its spread,
whether it elicits reasoning traces or grades outputs, and whether it is a
public hub.  Requests that carry an upstream ``prompt_template_id`` keep it
as their template, as given (source ``upstream``).  Nothing after this stage
needs the prompt text: the graph reads ``request_templates``, scoring also
``request_flags`` (requests whose own prompt contains a reasoning or grading
phrase); the text is
only shown again by ``graphlink template ID`` as examples.

Entry points: :func:`mine_templates` (always mines) and
:func:`ensure_templates` (mines only when the requests or the template config
changed since the last mining, recorded in ``template_state``).

Method
------
0. **Sample** (SQL).  Templates are discovered on about
   ``sample_prompts`` prompts (every prompt when there are fewer): whole
   blocks of ``sample_block`` consecutive stored rows whose block number
   hashes under a cut, so the text of other blocks is never decompressed.
   Templates are frequent by definition, so a sample of fixed size finds
   them; steps 1-5 see only the sample, and what they hold does not grow
   with the number of requests.
1. **Segments** (SQL, the sample's text pass).  Each prompt, its first and
   last ``scan_chars`` characters when longer, is lower-cased, digit runs
   become ``0`` (``mask_numbers``) and it is cut into lines and sentences;
   every segment of ``min_segment_chars`` or more is hashed.
2. **Candidates** (SQL).  A segment found in ``segment_min_requests``
   *distinct* prompts (a problem resent word for word is one prompt) with
   ``min_segment_words`` words (a number is not a word) may be scaffold.
   "Thanks!", "Hello" and code like ``x0 = y // 0`` never are.
3. **Segment classes** (numpy, candidates only).  MinHash of word unigrams
   and bigrams, LSH, connected components at ``segment_similarity``: a
   sentence and its small edits (a word added, dropped or swapped, as an
   operator who rewrites the scaffold per account) are one class.
4. **Signatures and groups** (SQL, then numpy).  A prompt's signature is the
   set of classes it contains; the few thousand distinct signatures (not the
   prompts) are merged when the union of their classes' shingles is similar
   (``similarity``): paraphrased variants of one scaffold become one group.
   Two rounds: the first finds the classes carried by ``min_support`` of some
   group big enough to be a template; the second rebuilds every signature
   from those alone, so sentences of the variable part that happen to recur
   stop splitting a scaffold into fragments.
5. **Templates** (Python, per group).  A group is a template when it has
   ``min_requests`` requests from ``min_accounts`` accounts, a variable part
   (``min_slot_chars`` besides the scaffold), a scaffold of
   ``min_scaffold_words`` words taken from its consensus signature (the
   lines most of its requests agree on), lines of its own (more than
   ``min_specificity`` of their requests are the template's: a greeting
   every prompt has belongs to no template) and cohesion (``min_cohesion``
   of its requests carry ``min_match`` of its own words: common lines that
   merely meet in some prompts are not a template).  Its id is ``T-`` and a
   digest of the normalised skeleton, stable across runs and databases.  On
   a sample, ``segment_min_requests`` and ``signature_min_requests`` scale
   with it (down to 3 and 1); ``min_requests`` does not: a group of a few
   sampled requests is too thin to judge.
6. **Assignment and flags** (SQL, one pass over the other prompts).  Every
   prompt outside the sample is cut and hashed as in step 1 and its segments
   joined to the few thousand segments the templates own; in the same pass
   its text is searched for the ``reasoning_phrases`` and
   ``grading_phrases`` (case-insensitive, one regular expression for both
   lists, the second list only where both kinds must be told apart).  A
   prompt goes to the template whose own lines it carries most words of, if
   at least ``min_match`` of the template's core; only fixed-size
   aggregates, so DuckDB spills them at any size.  A template is kept when
   its prompts, all of them, reach ``min_requests`` and ``min_accounts``;
   all of a template's wordings are matched against the phrase lists for
   its flags.  A template used by more accounts than
   ``graph.kinds.template.hub_cap`` is marked ``is_hub``: a public
   template, not evidence.

Measurements
------------
2 cores shared with other work (wall time depends on it, CPU time less),
duckdb 2.0.1, prompts stored with zstd.  Quality on the corpus of
:mod:`graphlink.templates.corpus` (six campaign scaffolds, two paraphrased,
every slot text sent about three times; two public templates; organic
prompts with shared openers, closers, code lines and popular questions;
``python benchmarks/bench_templates.py --requests 200000,1000000``) and on a
synthetic world (:mod:`graphlink.synth`, 1M requests, 610 MB of prompts,
scored per frame against ``truth/request_scaffolds``: ``--synth 1000000``):

==================  ========  =========  ======  =================
prompts             sample    precision  recall  organic templated
==================  ========  =========  ======  =================
corpus, 200k        all       1.000      0.995   0
corpus, 1M          250k      1.000      0.995   0
corpus, 1M          25k       1.000      0.995   0
synth world, 1M     250k      1.000      0.903   0
synth world, 1M     25k       1.000      0.899   0
==================  ========  =========  ======  =================

Precision and recall are B-cubed, of the request -> template assignment
(the synth world's counting one true template per frame of its
specification), the same as when every prompt was mined.  Every true
template of the corpus is found, once; the recall it loses is one account
of the per-account-edited campaign whose edits left no line close enough to
the others'.  The synth world's losses are short public templates and
two-account reseller campaigns.  A 25k sample of 1M prompts is what the
default 250k is of 10M.

Speed (:func:`mine_templates` in a fresh process on an ingested world, as
``python benchmarks/bench_scale.py --stages templates`` runs it; the
machine's other work left about one core; peak RSS is the whole process,
DuckDB's buffers included), beside the mining before this design on the
same database and load:

==================  ========================  =========================
requests            before: wall, CPU, RSS    now: wall, CPU, RSS
==================  ========================  =========================
1M                  14.9 s, 14.9 s, 0.67 GiB  8.8 s, 8.6 s, 0.56 GiB
10M                 151 s, 171 s, 4.9 GiB     77 - 99 s, 96 s, 3.2 GiB
10M, limit 6 GB                               84 s, 84 s, 3.0 GiB
10M, limit 600MB                              95 s, 116 s, 0.82 GiB
==================  ========================  =========================

A DuckDB memory limit of 600MB at 10M requests (what 6 GB is at 100M) only
slows the stage: every aggregate and join spills, and Python holds only the
sample's candidates and signatures.  The CPU is the text: on one thread, per
million prompts outside the sample, the pass costs 5.1 s, of which the
phrase search 1.9, cutting 0.85, digit masking 0.66 and reading the zstd
text 0.47; discovery on the 250k sample costs 2.5 s and the writes 0.5 s
per million requests.

Choices the measurements made:

- Cutting with ``replace`` + ``string_split`` and normalising once per
  prompt cost half the CPU of ``regexp_split_to_array`` plus a per-segment
  normalisation (3.9 s against 7.7 s per 610 MB).  The digit mask runs only
  on prompts with a digit (ten ``contains``, 0.2 s per 600 MB, find them;
  the regular expression on every prompt cost 2.1 s) and is skipped in the
  assignment pass when no template's own line has a digit.
- Candidates count distinct prompts, and need 8 of them: with 4, the
  sentences of problems resent under paraphrased scaffolds made 134k
  candidates in the 1M corpus (6.3k with 8, same precision and recall).
- MinHash and LSH run on numpy matrices with datasketch's own ``affine32``
  permutations and band layout (the tests check the matrices equal
  datasketch's).  For 100k sets of 40 shingles, datasketch objects cost
  4.2 s to hash (``MinHash.bulk``) and 4.7 s to index and query; the
  matrices 1.4 s and 0.4 s.
- Discovery on a sample, assignment in one pass: every prompt is read
  once (the sample's in discovery, the others' in the assignment, which
  also searches their phrases), nothing but the sample's few thousand
  candidates and signatures reaches Python, and the rest is SQL with
  fixed-size aggregates.  Materialising every prompt's segments (60M rows
  at 10M) and the signatures' list aggregates took 6.3 GiB at 10M.
- The sample is whole blocks of stored rows: zstd decompresses runs of
  rows, so a sample of scattered requests cost a full read of the text
  (5.5 s at 10M, for 2.5% of it).
- ``min_requests`` is not scaled on a sample: scaled to the sample, a 25k
  sample of the 1M corpus let in one organic "template" (a common opener,
  a code line and a closer that met in 504 prompts), unscaled none.
- Prompts longer than ``2 * scan_chars`` take a branch of their own: a CASE
  over every prompt copied all the text (0.35 s per 600 MB), and the
  column's statistics say when there are none.
- The phrase search is one regular expression for both lists (RE2 reads
  about 250 MB/s here whatever the alternatives), the second list only
  where both kinds must be told apart: 2.0 s per 600 MB against 2.8 s.
"""

from .browse import TemplateDetail, TemplateListing, template_clusters, template_detail, template_listing
from .mining import TemplateResult, config_fingerprint, ensure_templates, flag_requests, mine_templates, template_hub_cap

__all__ = [
    "TemplateResult",
    "mine_templates",
    "ensure_templates",
    "template_hub_cap",
    "config_fingerprint",
    "flag_requests",
    "TemplateListing",
    "TemplateDetail",
    "template_listing",
    "template_detail",
    "template_clusters",
]
