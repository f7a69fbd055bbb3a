"""The request register (依申请公开): intake, the statutory workflow, deadlines, fees, letters, audit, 表三.

Modules, each holding one thing:

- ``vocab``: channels, applicant types, 表三 keys and outcome wording (data).
- ``workflow``: states and allowed transitions (one table).
- ``receipt``: the date of receipt by channel (第三十一条).
- ``deadlines``: the reply deadline, its day-by-day explanation, and the other statutory clocks.
- ``fees``: 国办函〔2020〕109号 按件 / 按量 bands.
- ``masking``: personal data masking and who may see it.
- ``register``: intake and actions on the store (version-checked, audited).
- ``duelists``: due within N working days, overdue, paused; export.
- ``letters``: DOCX letters from editable templates.
- ``yearend``: 表三 and 表四 from the register; 第四十四条 candidates.
- ``importer``: importing an existing Excel register, all or nothing.
"""
