#!/bin/sh
# Draws docs/figures/caseload_tradeoff.png from the sweep.csv of the caseload sweep at 20 posts
# (docs/model.md, section 3.4):
#
#     build/ccsim sweep scenarios/care/posts_20.cfg \
#         --vary 'coordination.models[0].caseload_limit=10:100:5' -r 20 -j 2 -o results/posts_20
#     sh docs/figures/caseload_tradeoff.sh results/posts_20/sweep.csv docs/figures/caseload_tradeoff.png
#
# Four panels against the caseload limit: clients coordinated and waiting, with the contact
# hours each coordinated client has; what each coordinated client gets (attended contacts per
# week, the mean effect of a contact); outcomes per coordinated client; and the region's crises,
# admissions and unmet need a year with their 95% intervals, the limit with the fewest crises
# marked. Colours from the Okabe-Ito palette (safe for colour-blind readers), each line also
# with its own point shape. Needs gnuplot.
set -eu
csv=$1
out=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# One line per limit: the limit, then mean, low and high of each metric in the list below.
awk -F, '
    NR == 1 { next }
    { x[$1] = 1; v[$1, $2] = $3; lo[$1, $2] = $4; hi[$1, $2] = $5 }
    END {
        n = split("caseload waiting_coordination hours_per_client_week " \
                  "contacts_per_client_week contact_effect needs_linked_30d_pct " \
                  "standard.crises standard.disengaged unmet_need_days_per_year " \
                  "crises_per_year admissions_per_year", m, " ")
        k = 0
        for (p in x) { xs[++k] = p + 0 }
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (xs[j] < xs[i]) { t = xs[i]; xs[i] = xs[j]; xs[j] = t }
        for (i = 1; i <= k; i++) {
            line = xs[i]
            for (j = 1; j <= n; j++) line = line " " v[xs[i], m[j]] " " lo[xs[i], m[j]] " " hi[xs[i], m[j]]
            print line
        }
    }' "$csv" >"$tmp"
# The limit with the fewest crises a year (column 29: crises_per_year's mean).
best=$(awk 'NR == 1 || $29 < min { min = $29; at = $1 } END { print at }' "$tmp")
gnuplot <<GP
set terminal pngcairo size 1400,1050 font ',11'
set output '$out'
set border 3 lc rgb '#444444'
set tics nomirror
set grid ytics lc rgb '#DDDDDD' lt 1
set termoption noenhanced
set key below center horizontal
set xlabel 'caseload limit (clients per post), 20 posts'
set xrange [5:*]
set multiplot layout 2,2 title 'A caseload sweep at 20 coordinator posts, with administration per client held (scenarios/care/posts_20.cfg; 20 replications)' font ',13'
set title 'Who is coordinated, and the coordinator time each has'
set ylabel 'clients (time average)'
set y2label 'contact hours per coordinated client-week'
set y2tics
set yrange [0:*]
set y2range [0:*]
plot '$tmp' using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title 'coordinated', \
     '' using 1:5 with linespoints lw 2 pt 5 lc rgb '#D55E00' title 'waiting for a coordinator', \
     '' using 1:8 axes x1y2 with linespoints lw 2 dt 2 pt 9 lc rgb '#009E73' title 'contact hours per client-week (right)'
set title 'What each coordinated client gets'
set ylabel 'attended contacts per client-week'
set y2label 'mean effect of a contact (1 = full)'
set yrange [0:0.3]
set y2range [0:1.05]
plot '$tmp' using 1:11 with linespoints lw 2 pt 7 lc rgb '#0072B2' title 'contacts per client-week', \
     '' using 1:14 axes x1y2 with linespoints lw 2 dt 2 pt 5 lc rgb '#009E73' title 'contact effect (right)'
set title 'Outcomes per coordinated client'
set ylabel 'per 100 coordinated client-years'
set y2label 'needs met within 30 days of starting (%)'
set yrange [0:*]
set y2range [0:*]
plot '$tmp' using 1:20 with linespoints lw 2 pt 7 lc rgb '#D55E00' title 'crises', \
     '' using 1:23 with linespoints lw 2 pt 5 lc rgb '#CC79A7' title 'disengagements', \
     '' using 1:17 axes x1y2 with linespoints lw 2 dt 2 pt 9 lc rgb '#009E73' title 'needs met in 30 days (right)'
set title 'The region, a year (95% intervals)'
set ylabel 'crises and admissions a year'
set y2label 'unmet need-days a year (thousands)'
set yrange [0:*]
set y2range [0:*]
set arrow 1 from $best, graph 0 to $best, graph 1 nohead dt 3 lw 1.5 lc rgb '#444444'
set label 1 sprintf('fewest crises: a limit of %d', $best) at $best, graph 0.95 offset 1,0 left
plot '$tmp' using 1:29:30:31 with yerrorlines lw 2 pt 7 lc rgb '#D55E00' title 'crises', \
     '' using 1:32:33:34 with yerrorlines lw 2 pt 5 lc rgb '#0072B2' title 'admissions', \
     '' using 1:(\$26/1000):(\$27/1000):(\$28/1000) axes x1y2 with yerrorlines lw 2 dt 2 pt 9 lc rgb '#009E73' title 'unmet need-days (right)'
unset multiplot
GP
