#!/usr/bin/env bash
# radiomics_extract over 1, 2 and 3 MPI ranks on one batch (benchmarks/README.md, section "mpi").
#   bash benchmarks/mpi_scaling.sh BUILD_DIR [COPIES] [PARAMS]
# The batch: COPIES x (synthetic BAT CT + PET with their mask), from ../shared/reference/pyradiomics/synthetic_bat
# (default 21 copies = 42 cases, bat.yaml: 342 first-order features per case). Each run writes with --resume, so
# the journal's cost (one fsync per case) is included; rank 0's last line says where the time went.
set -euo pipefail
build="${1:?build dir}"; copies="${2:-21}"; params="$(realpath "${3:-$(dirname "$0")/../examples/params/bat.yaml}")"
bin="$(realpath "$build")/examples/radiomics_extract"
bat="$(realpath "$(dirname "$0")/../../shared/reference/pyradiomics/synthetic_bat")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
echo "Image,Mask" > cases.csv
for i in $(seq 1 "$copies"); do
  echo "$bat/ct.nii.gz,$bat/mask.nii.gz" >> cases.csv
  echo "$bat/pet.nii.gz,$bat/mask.nii.gz" >> cases.csv
done
n=$((2 * copies))
echo "load before: $(uptime)"
start=$(date +%s.%N)
"$bin" cases.csv -p "$params" -o single.csv -q
t=$(echo "$(date +%s.%N) - $start" | bc)
printf 'one process (no mpirun): %d cases in %.1f s, %.2f cases/s\n' "$n" "$t" "$(echo "$n / $t" | bc -l)"
for np in 1 2 3; do
  rm -f "out$np.csv"
  start=$(date +%s.%N)
  OMP_NUM_THREADS=1 mpirun --allow-run-as-root --oversubscribe --bind-to none -np "$np" "$bin" cases.csv -p "$params" \
    -o "out$np.csv" --resume 2> "err$np.txt"
  t=$(echo "$(date +%s.%N) - $start" | bc)
  cmp single.csv "out$np.csv" || { echo "np $np: output differs"; exit 1; }
  printf 'mpirun -np %d: %d cases in %.1f s, %.2f cases/s (identical output)\n' "$np" "$n" "$t" "$(echo "$n / $t" | bc -l)"
  grep "ranks ran" "err$np.txt" || true
done
echo "load after: $(uptime)"
