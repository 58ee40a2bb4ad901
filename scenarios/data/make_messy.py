# Writes craftsperson_history_messy.csv from the first 500 rows of
# craftsperson_history.csv, messed up the way real exports are: another header
# naming, rows exported twice, stage changes with no date, a stage the funnel does not
# have, and one opportunity whose stages go back in time. tests/history.rs counts them.
import csv

rows = list(csv.reader(open("craftsperson_history.csv")))[1:501]
out = [["Opportunity ID", "Stage", "Stage Entered", "Created Date", "Opportunity Owner",
        "Amount", "Outcome", "Close Date", "Lead Source"]]
for i, r in enumerate(rows):
    r = list(r)
    if i % 50 == 10:   # exported twice: 10 duplicates
        out.append(r)
    if i % 60 == 25:   # no date: 8 missing dates
        r[2] = ""
    out.append(r)
    if i % 125 == 60:  # not a funnel step: 4 unknown stages
        out.append([r[0], "Negotiation"] + r[2:])
# The first opportunity's two stages swap times: 1 out of order.
out[1][2], out[2][2] = out[2][2], out[1][2]
csv.writer(open("craftsperson_history_messy.csv", "w", newline=""), lineterminator="\n").writerows(out)
