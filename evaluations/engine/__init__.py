"""The OCOP scoring engine: pure functions over plain data, Decimal throughout, no database.

- `spec`: the shape of a scoring form (parts → groups → criteria → options).
- `csvform`: read the official forms' CSV transcription into a FormSpec (with source rows).
- `validation`: structural checks of a form (sums, maxima), each defect with its source.
- `scoring`: a sheet's answers → points per criterion, group, part and total.
- `council`: members' sheets → mean, spread, quorum, per-criterion means.
- `stars`: score → stars by half-open bands, capped by mandatory minimums.
- `regimes`: a level's outcome under a regime: recognised, forwarded, referred down or not.
"""
