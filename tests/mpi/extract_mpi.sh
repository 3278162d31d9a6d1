#!/usr/bin/env bash
# radiomics_extract under mpirun and with --resume, against the same program run as one process
# (ctest: tests/mpi/CMakeLists.txt). The reference is the single-process output of the same binary: the claim
# under test is "byte for byte the single-process output", whose values test_extract checks against PyRadiomics.
#
#   extract_mpi.sh CHECK BINARY SHARED_DIR PARAM_FILE MPIEXEC [MPIEXEC_ARGS...] <-n|-np> 3
#
# CHECK: equal | bad_input_once | resume_mpi | resume_local | rank_fails_setup | rank_dies | farm_ok | farm_throw
# (farm_*: BINARY is mpi_farm_driver). Every mpirun runs under `timeout`, so a hang fails instead of blocking.
set -uo pipefail
check="$1"; binary="$2"; shared="$3"; params="$4"; shift 4
mpi=("$@")
limit=120
work="$(mktemp -d "${TMPDIR:-/tmp}/rg_mpi_${check}_XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() { echo "FAIL ($check): $*" >&2; exit 1; }
count() { grep -c -- "$1" "$2" || true; }

# A batch of small cases: the synthetic BAT CT and PET with its mask (labels 1 and 2 and the default), and one
# case whose image is missing (its row carries the error), in batch order.
make_batch() {  # make_batch FILE COPIES
  local bat="$shared/reference/pyradiomics/synthetic_bat"
  [ -f "$bat/ct.nii.gz" ] || fail "no reference data at $bat"
  echo "Subject,Image,Mask,Label,Note" > "$1"
  for i in $(seq 1 "$2"); do
    echo "ct$i,$bat/ct.nii.gz,$bat/mask.nii.gz,1,\"note, $i\"" >> "$1"
    [ "$i" = 2 ] && echo "missing,missing.nii.gz,$bat/mask.nii.gz,1,x" >> "$1"
    echo "pet$i,$bat/pet.nii.gz,$bat/mask.nii.gz,,y" >> "$1"
  done
}

single() {  # single OUT [ARGS...]: the single-process reference run
  local out="$1"; shift
  timeout "$limit" "$binary" cases.csv -p "$params" -o "$out" -q "$@" 2> single.err || fail "single run: $(cat single.err)"
}

# Kills a whole running job at once (SIGKILL to mpirun or the program and to every process below it), as a
# batch system does at its time limit.
descendants() {  # descendants PID: PID and every process below it
  local pids=("$1") i=0
  while [ $i -lt ${#pids[@]} ]; do
    for child in $(pgrep -P "${pids[$i]}"); do pids+=("$child"); done
    i=$((i + 1))
  done
  echo "${pids[@]}"
}
kill_job() {
  kill -9 $(descendants "$1") 2>/dev/null
  wait "$1" 2>/dev/null
}

# Waits until the journal holds at least N bytes beyond its header (a few records), then kills the job.
kill_after_records() {  # kill_after_records PID JOURNAL BYTES
  for _ in $(seq 1 1200); do
    local size; size=$(stat -c %s "$2" 2>/dev/null || echo 0)
    [ "$size" -gt "$3" ] && { kill_job "$1"; return 0; }
    kill -0 "$1" 2>/dev/null || fail "the job ended before it could be killed (journal $size bytes)"
    sleep 0.05
  done
  kill_job "$1"
  fail "no journal records after 60 s"
}

case "$check" in
equal)
  make_batch cases.csv 2
  single one.csv
  for jobs in 1 2; do
    timeout "$limit" "${mpi[@]}" "$binary" cases.csv -p "$params" -o "mpi$jobs.csv" --jobs "$jobs" 2> "mpi$jobs.err" \
      || fail "mpirun --jobs $jobs: $(cat "mpi$jobs.err")"
    cmp one.csv "mpi$jobs.csv" || fail "mpirun --jobs $jobs differs from the single-process output"
    [ "$(count '1 of 5 cases failed' "mpi$jobs.err")" = 1 ] || fail "the failure summary is not printed once: $(cat "mpi$jobs.err")"
  done
  grep -q '^missing,.*missing.nii.gz.*,x,.*does not exist' one.csv || fail "no error row for the missing image"
  single one.json --format json
  timeout "$limit" "${mpi[@]}" "$binary" cases.csv -p "$params" -o mpi.json -q --format json 2> /dev/null || fail "json"
  cmp one.json mpi.json || fail "JSON output differs"
  # one case (IMAGE MASK) under mpirun: rank 0 alone writes it, the same bytes
  bat="$shared/reference/pyradiomics/synthetic_bat"
  timeout "$limit" "$binary" "$bat/pet.nii.gz" "$bat/mask.nii.gz" -p "$params" -o case1.csv -q || fail "single case"
  timeout "$limit" "${mpi[@]}" "$binary" "$bat/pet.nii.gz" "$bat/mask.nii.gz" -p "$params" -o case3.csv -q \
    || fail "single case under mpirun"
  cmp case1.csv case3.csv || fail "a single case under mpirun differs"
  # --strict: the failing case stops the run (exit 1, named once, no output), as in one process
  timeout "$limit" "${mpi[@]}" "$binary" cases.csv -p "$params" -o strict.csv -q --strict 2> strict.err
  status=$?
  [ $status = 1 ] && [ "$(count 'missing.nii.gz' strict.err)" = 1 ] && [ ! -e strict.csv ] \
    || fail "--strict: status $status, $(cat strict.err)"
  ;;
bad_input_once)
  make_batch cases.csv 1
  timeout "$limit" "${mpi[@]}" "$binary" cases.csv -p "$work/nope.yaml" -o out.csv 2> err.txt
  status=$?
  [ $status = 2 ] || fail "exit status $status, expected 2 (usage error): $(cat err.txt)"
  [ "$(count "nope.yaml" err.txt)" = 1 ] || fail "the error is not reported exactly once: $(cat err.txt)"
  [ ! -e out.csv ] || fail "an output was written"
  printf 'Image,Mask\n' > empty.csv
  timeout "$limit" "${mpi[@]}" "$binary" empty.csv -o out.csv 2> err2.txt
  [ $? = 2 ] && [ "$(count "no cases" err2.txt)" = 1 ] || fail "empty batch: $(cat err2.txt)"
  ;;
resume_mpi | resume_local)
  make_batch cases.csv 6
  single one.csv
  if [ "$check" = resume_mpi ]; then run=("${mpi[@]}" "$binary"); else run=("$binary"); fi
  "${run[@]}" cases.csv -p "$params" -o out.csv -q --resume --jobs 2 2> first.err &
  kill_after_records $! out.csv.journal 40000
  [ -e out.csv.journal ] || fail "no journal after the kill"
  [ ! -e out.csv ] || fail "an output exists after the kill"
  # a record torn by the kill: cut the last complete record short, as a kill during its write leaves it
  size=$(stat -c %s out.csv.journal); truncate -s $((size - 100)) out.csv.journal
  timeout "$limit" "${run[@]}" cases.csv -p "$params" -o out.csv --resume 2> second.err || fail "resume: $(cat second.err)"
  grep -q 'resuming from out.csv.journal: [1-9][0-9]* of 13 cases done, an incomplete last record' second.err \
    || fail "no resume notice: $(cat second.err)"
  cmp one.csv out.csv || fail "the resumed output differs from the uninterrupted single-process output"
  [ ! -e out.csv.journal ] || fail "the journal was not removed after the output was written"
  # a journal of another job is refused, naming it
  "${run[@]}" cases.csv -p "$params" -o out2.csv -q --resume --jobs 2 2> /dev/null &
  kill_after_records $! out2.csv.journal 100
  timeout "$limit" "${run[@]}" cases.csv -p "$params" -s binWidth:5 -o out2.csv --resume 2> other.err
  [ $? != 0 ] && [ "$(count 'written for another job' other.err)" = 1 ] || fail "another job's journal: $(cat other.err)"
  ;;
rank_fails_setup)
  make_batch cases.csv 1
  # rank 2 cannot read its parameter file (as a node without the shared file system): every rank stops,
  # rank 0 names rank 2 and its reason once, nothing is written, and nothing hangs
  np_args=("${mpi[@]}")
  flag="${np_args[${#np_args[@]} - 2]}"  # MPIEXEC_ARGS end with "<-n|-np> 3": 2 ranks, then a third
  np_args[${#np_args[@]} - 1]=2
  timeout "$limit" "${np_args[@]}" "$binary" cases.csv -p "$params" -o out.csv -q : "$flag" 1 "$binary" cases.csv \
    -p "$work/absent.yaml" -o out.csv -q 2> err.txt
  status=$?
  [ $status != 124 ] || fail "the job hung"
  [ $status != 0 ] || fail "exit status 0"
  [ "$(count 'rank 2 stopped before the batch' err.txt)" = 1 ] && [ "$(count 'absent.yaml' err.txt)" = 1 ] \
    || fail "rank 2's failure is not reported once: $(cat err.txt)"
  ;;
rank_dies)
  make_batch cases.csv 6
  "${mpi[@]}" "$binary" cases.csv -p "$params" -o out.csv -q 2> err.txt &
  job=$!
  worker=""
  for _ in $(seq 1 600); do
    for p in $(descendants "$job"); do  # this job's rank 1 (other tests may run the same binary meanwhile)
      grep -qz '^OMPI_COMM_WORLD_RANK=1$' "/proc/$p/environ" 2>/dev/null && worker=$p
    done
    [ -n "$worker" ] && break
    sleep 0.05
  done
  [ -n "$worker" ] || { kill_job $job; fail "no rank 1 found"; }
  sleep 1
  kill -9 "$worker"
  for _ in $(seq 1 600); do kill -0 $job 2>/dev/null || break; sleep 0.1; done
  if kill -0 $job 2>/dev/null; then kill_job $job; fail "the job hung after rank 1 was killed"; fi
  wait $job; status=$?
  [ $status != 0 ] || fail "exit status 0 after a rank was killed"
  [ ! -e out.csv ] || fail "an output was written"
  ;;
farm_ok)
  timeout "$limit" "${mpi[@]}" "$binary" ok 40 > out.txt 2> err.txt || fail "$(cat out.txt err.txt)"
  grep -q 'farm ok: 40 tasks, 3 ranks' out.txt || fail "$(cat out.txt err.txt)"
  ;;
farm_throw)
  timeout "$limit" "${mpi[@]}" "$binary" throw 40 > out.txt 2> err.txt
  status=$?
  [ $status != 124 ] || fail "the job hung"
  [ $status != 0 ] || fail "exit status 0"
  grep -q 'mpi_farm_driver: rank [0-9]: task 5: deliberate failure; ending the MPI job' err.txt || fail "$(cat err.txt)"
  ;;
*) fail "unknown check" ;;
esac
echo "ok: $check"
