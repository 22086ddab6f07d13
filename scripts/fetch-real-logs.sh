#!/usr/bin/env bash
# Downloads the small public click logs that README's "Real logs" table was measured on, from
# their public origins, into DIR (default ./data), and writes each as a training file plus a
# later holdout file in a format `streamfm eval` and `streamfm bench peer` read:
#
#   frappe.train.libfm / frappe.test.libfm       app usage (libfm, 10 fields)
#   ipinyou.train.libfm / ipinyou.test.libfm     iPinYou RTB impressions (libfm, 16 fields)
#   ml100k.train.csv / ml100k.test.csv           MovieLens 100k as clicks (rating >= 4), by time
#
# The data stays outside the repository: each set has its own terms (see README, "Real logs").
# A file already in DIR/raw is not downloaded again.
set -euo pipefail

DIR="${1:-data}"
RAW="$DIR/raw"
mkdir -p "$RAW"

fetch() { # url file
  if [ ! -s "$2" ]; then
    echo "downloading $1"
    curl -fsSL --retry 3 -o "$2.part" "$1"
    mv "$2.part" "$2"
  fi
}

NFM=https://raw.githubusercontent.com/hexiangnan/neural_factorization_machine/master/data/frappe
fetch "$NFM/frappe.validation.libfm" "$RAW/frappe.validation.libfm"
fetch "$NFM/frappe.test.libfm" "$RAW/frappe.test.libfm"
# The set's own "train" file (>200k rows) is left out: the 58k validation rows are the stream,
# the 29k test rows the holdout, which keeps one bench run to seconds.
cp "$RAW/frappe.validation.libfm" "$DIR/frappe.train.libfm"
cp "$RAW/frappe.test.libfm" "$DIR/frappe.test.libfm"

DEEPCTR=https://raw.githubusercontent.com/wnzhang/deep-ctr/master/data
fetch "$DEEPCTR/train.fm.txt" "$RAW/ipinyou.train.fm.txt"
fetch "$DEEPCTR/test.fm.txt" "$RAW/ipinyou.test.fm.txt"
cp "$RAW/ipinyou.train.fm.txt" "$DIR/ipinyou.train.libfm"
cp "$RAW/ipinyou.test.fm.txt" "$DIR/ipinyou.test.libfm"

if [ ! -s "$RAW/ml-100k/u.data" ] || [ ! -s "$RAW/ml-100k/u.user" ]; then
  fetch https://files.grouplens.org/datasets/movielens/ml-100k.zip "$RAW/ml-100k.zip"
  unzip -o -q "$RAW/ml-100k.zip" ml-100k/u.data ml-100k/u.user -d "$RAW"
fi
# One row per rating in time order: a rating of 4 or 5 is a click. The user's demographics are
# joined in as categorical columns (zip code cut to its 3-digit region). The last 20% in time
# is the holdout, so it holds users and films the stream has not seen yet, as a live service would.
awk -F'|' 'NR == FNR { user[$1] = $2 "," $3 "," $4 "," substr($5, 1, 3); next }
           { split($0, r, "\t"); print r[4] "\t" (r[3] >= 4 ? 1 : 0) ",u" r[1] ",i" r[2] "," user[r[1]] }' \
    "$RAW/ml-100k/u.user" "$RAW/ml-100k/u.data" |
  sort -t$'\t' -k1,1n -s | cut -f2 > "$RAW/ml100k.rows"
ROWS=$(wc -l < "$RAW/ml100k.rows")
TRAIN=$((ROWS * 8 / 10))
HEADER="label,user,item,age,gender,occupation,zip3"
{ echo "$HEADER"; head -n "$TRAIN" "$RAW/ml100k.rows"; } > "$DIR/ml100k.train.csv"
{ echo "$HEADER"; tail -n +"$((TRAIN + 1))" "$RAW/ml100k.rows"; } > "$DIR/ml100k.test.csv"

wc -l "$DIR"/*.libfm "$DIR"/*.csv
