"""Standards as code: the dated legal rules, the engine that checks people against them, the
staffing analysis (thừa, thiếu, yếu) and the eligibility rules later planners use.

* :mod:`.rules` loads and validates the rule files (``src/canbo/rules/*.yaml``, one per legal
  instrument; the format is in ``docs/rules.md``): the rule model (:mod:`.rules.model`), YAML
  with line numbers (:mod:`.rules.reader`), each section's checks (:mod:`.rules.sections`) and
  the loading of files and directories (:mod:`.rules.loading`);
* :mod:`.snapshot` is the population snapshot the engine reads (polars frames, one per table);
* :mod:`.engine` returns one finding per person × post × criterion: met, unmet or unknown;
* :mod:`.staffing` turns findings into quota, headcount, surplus, vacancies and below-standard
  staff per commune, rolled up to district and province;
* :mod:`.provincial` is the provincial layer (a province's own decisions, never looser than
  the national rules);
* :mod:`.eligibility` applies the eligibility and discipline-effect rules;
* :mod:`.cases` runs the legal test cases (``src/canbo/rules/cases``).
"""
