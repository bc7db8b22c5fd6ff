#!/bin/sh
# Referral sources carry what they bring: a region whose referrals all come from inpatient wards
# (the baseline's own "inpatient" source, high or complex severity, every referral urgent) gives
# another summary than the baseline's, with fewer referrals signposted (none of low severity)
# and every referral urgent; the baseline's other sources at share 0 draw nothing.
. tests/cli_lib.sh
q="-q --no-plots -r 2"

# shellcheck disable=SC2086
"$CCSIM" run "$care" $q -o "$tmp/base" 2>/dev/null || bad "the baseline did not run"
# shellcheck disable=SC2086
"$CCSIM" run "$care" $q -o "$tmp/ward" --set referrals.sources[0].share=0 \
    --set referrals.sources[1].share=0 --set referrals.sources[2].share=1.0 \
    --set referrals.sources[3].share=0 2>/dev/null || bad "the all-inpatient region did not run"
grep -q 'name = "inpatient"' "$tmp/base/scenario.resolved.cfg" ||
    bad "the baseline has no inpatient source to test"
cmp -s "$tmp/base/summary.csv" "$tmp/ward/summary.csv" &&
    bad "an all-inpatient region gives the baseline's summary: the sources change nothing"
metric() { awk -F, -v m="$2" '$1 == m { print $2 }' "$1/summary.csv"; }
base_sign=$(metric "$tmp/base" signposted_pct)
ward_sign=$(metric "$tmp/ward" signposted_pct)
awk -v b="$base_sign" -v w="$ward_sign" 'BEGIN { exit !(b > 10 && w < b / 2) }' ||
    bad "signposted: $base_sign% at baseline, $ward_sign% from inpatient wards (expected under half)"
[ "$(metric "$tmp/ward" urgent_referrals_pct)" = 100 ] ||
    bad "urgent referrals from inpatient wards: $(metric "$tmp/ward" urgent_referrals_pct)% (100 expected)"
exit $fail
