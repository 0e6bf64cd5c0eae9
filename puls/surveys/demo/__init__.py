"""Demo surveys for Demo Kommune: two closed well-being surveys a year apart and an open pulse.

Set-up goes through the real services (the organisation's copy of the Trivsel template,
`survey_create`, `survey_launch` with its coarsening and invitations, `ballot_count`,
`ballot_close`). Only the answering is simulated, in bulk: for each simulated respondent a
not-completed invitation is picked and the rows a submit writes are added — a Response in that
invitation's storage cell, its Answers, the invitation's completed flag — with nothing that ties
them together (respondents are written in random order and the flags set in one statement per
batch). Content is seeded, so the demo shows the same results on every machine.

The answers follow a simple latent model: each person has a well-being factor, each unit an effect
per domain (a few units planted clearly low or high), job groups shift some scales, and most units
improve a little from one year to the next while a few get worse.
"""
