#!/bin/sh
# Draws docs/figures/caseload_tradeoff.png from the sweep.csv of the caseload sweep at 20 posts
# (docs/model.md, section 3.4):
#
#     build/ccsim sweep scenarios/care/posts_20.cfg \
#         --vary 'coordination.models[0].caseload_limit=10:80:10' -r 10 -j 2 -o results/posts_20
#     sh docs/figures/caseload_tradeoff.sh results/posts_20/sweep.csv docs/figures/caseload_tradeoff.png
#
# Four panels against the caseload limit: clients coordinated and waiting; what each coordinated
# client gets (attended contacts per week, the mean effect of a contact); outcomes per
# coordinated client; and the region's unmet need and crises. Needs gnuplot.
set -eu
csv=$1
out=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
awk -F, '
    NR == 1 { next }
    { x[$1] = 1; v[$1, $2] = $3 }
    END {
        n = split("caseload waiting_coordination contacts_per_client_week contact_effect " \
                  "needs_linked_30d_pct standard.crises standard.disengaged unmet_need_days " \
                  "crises", m, " ")
        k = 0
        for (p in x) { xs[++k] = p + 0 }
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (xs[j] < xs[i]) { t = xs[i]; xs[i] = xs[j]; xs[j] = t }
        for (i = 1; i <= k; i++) {
            line = xs[i]
            for (j = 1; j <= n; j++) line = line " " v[xs[i], m[j]]
            print line
        }
    }' "$csv" >"$tmp"
gnuplot <<GP
set terminal pngcairo size 1400,1000 font ',11'
set output '$out'
set border 3 lc rgb '#444444'
set tics nomirror
set grid ytics lc rgb '#DDDDDD' lt 1
set termoption noenhanced
set key below center horizontal
set xlabel 'caseload limit (clients per post), 20 posts'
set multiplot layout 2,2 title 'A caseload sweep at 20 coordinator posts (scenarios/care/posts_20.cfg)' font ',14'
set title 'Who is coordinated'
set ylabel 'clients (time average)'
set yrange [0:*]
plot '$tmp' using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title 'coordinated', \
     '' using 1:3 with linespoints lw 2 pt 5 lc rgb '#D55E00' title 'waiting for a coordinator'
set title 'What each coordinated client gets'
set ylabel 'attended contacts per client-week'
set y2label 'mean effect of a contact (1 = full)'
set y2tics
set yrange [0:0.3]
set y2range [0:1.05]
plot '$tmp' using 1:4 with linespoints lw 2 pt 7 lc rgb '#0072B2' title 'contacts per client-week', \
     '' using 1:5 axes x1y2 with linespoints lw 2 pt 5 lc rgb '#009E73' title 'contact effect (right)'
set title 'Outcomes per coordinated client'
set ylabel 'per 100 coordinated client-years'
set y2label 'needs met within 30 days of starting (%)'
set yrange [0:*]
set y2range [0:*]
plot '$tmp' using 1:7 with linespoints lw 2 pt 7 lc rgb '#D55E00' title 'crises', \
     '' using 1:8 with linespoints lw 2 pt 5 lc rgb '#CC79A7' title 'disengagements', \
     '' using 1:6 axes x1y2 with linespoints lw 2 pt 9 lc rgb '#009E73' title 'needs met in 30 days (right)'
set title 'The region'
set ylabel 'unmet need-days per 100 client-years'
set y2label 'crises per 100 client-years'
set yrange [0:*]
set y2range [0:*]
plot '$tmp' using 1:9 with linespoints lw 2 pt 7 lc rgb '#0072B2' title 'unmet need-days', \
     '' using 1:10 axes x1y2 with linespoints lw 2 pt 5 lc rgb '#D55E00' title 'crises (right)'
unset multiplot
GP
