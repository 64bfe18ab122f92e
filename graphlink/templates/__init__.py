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
On the corpus of :mod:`graphlink.templates.corpus` (six campaign scaffolds,
two paraphrased, every slot text sent about three times; two public
templates; organic prompts with shared openers, closers, code lines and
popular questions), 2 cores shared with other work, duckdb 2.0.1
(``python benchmarks/bench_templates.py --requests 200000,1000000,10000000``):

==========  =======  ===========  ======  ========  =========  ======  ======
prompts     text     wall         CPU     peak RSS  precision  recall  organic
                                                                       templ.
==========  =======  ===========  ======  ========  =========  ======  ======
200,000     99 MB    0.9 s        1.5 s   0.7 GiB   1.000      0.995   0
1,000,000   495 MB   3.5 s        6.4 s   2.8 GiB   1.000      0.995   0
10,000,000  4.95 GB  37 s - 57 s  72 s    5.0 GiB   1.000      0.995   0
==========  =======  ===========  ======  ========  =========  ======  ======

Precision and recall are B-cubed, of the request -> template assignment;
every true template is found, once; the recall lost is one account of the
per-account-edited campaign whose edits left no line close enough to the
others'.  Wall time at 10M depends on what else the two cores run (CPU time
does not); 18 s of it is the text pass, the rest candidates and the two
rounds in SQL.  Peak RSS is the whole process, DuckDB's buffers included.  On
a synthetic world (:mod:`graphlink.synth`, 1M requests, 610 MB of prompts:
``--synth 1000000``) mining takes 3.9 s (7.4 s CPU) and finds 32
templates: every campaign frame, whether paraphrased per account or per
request, as one template; public, benchmark, enterprise and app templates
(the popular ones as hubs); 77% of distillation accounts' requests and 40%
of benign ones templated.

Choices the measurements made:

- Cutting with ``replace`` + ``string_split`` and normalising once per
  prompt cost half the CPU of ``regexp_split_to_array`` plus a per-segment
  normalisation (3.9 s against 7.7 s per 610 MB).  Digit masking is half of
  what remains (2.0 of 4.0 s): ``mask_numbers = false`` trades it for losing
  scaffold lines whose number changes in every prompt.
- Candidates count distinct prompts, and need 8 of them: with 4, the
  sentences of problems resent under paraphrased scaffolds made 134k
  candidates in the 1M corpus (6.3k with 8, same precision and recall) and
  1.3M in the 10M one (91 s, 141 s CPU, 8.3 GiB; 39k, 72 s CPU, 5.0 GiB
  with 8).
- MinHash and LSH run on numpy matrices with datasketch's own ``affine32``
  permutations and band layout (the tests check the matrices equal
  datasketch's).  For 100k sets of 40 shingles, datasketch objects cost
  4.2 s to hash (``MinHash.bulk``) and 4.7 s to index and query; the
  matrices 1.4 s and 0.4 s.
- Discovering templates on a sample and assigning every prompt afterwards
  was tried and dropped: the assignment pass costs as much as the text pass
  it saves (8.1 against 8.7 s of CPU at 1M with a 20% sample), and the
  lower thresholds a sample needs let one organic "template" in.
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
