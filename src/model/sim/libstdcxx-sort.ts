/**
 * Sorts `a[0..n)` by `key[a[i]]` into exactly the order GCC's libstdc++ `std::sort`
 * produces, equal keys included.
 *
 * Why: LogGOPSim sorts each batch of newly runnable operations by type with
 * `std::sort(..., gnp_op_comp_func())` (spcl/LogGOPSim `LogGOPSim.cpp`) before it stamps
 * and queues them, and `std::sort` is not stable. Operations of equal type (all the
 * sends of an alltoall, say) then enter the queue in the order introsort leaves them,
 * and that order decides which message goes first. To reproduce LogGOPSim's times, the
 * same permutation is needed: introsort with median-of-three pivots and an unguarded
 * Hoare partition down to runs of 16, heapsort past a depth of 2*floor(log2 n), then one
 * insertion-sort pass (libstdc++ `bits/stl_algo.h`, `bits/stl_heap.h`). Runs of at most
 * 16 elements are only insertion-sorted, which is stable.
 */
const THRESHOLD = 16;

export function sortLikeLibstdcxx(a: Int32Array, n: number, key: Uint8Array): void {
  if (n < 2) return;
  introsortLoop(a, 0, n, 2 * (31 - Math.clz32(n)), key);
  finalInsertionSort(a, 0, n, key);
}

function introsortLoop(a: Int32Array, first: number, last: number, depth: number, key: Uint8Array): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      heapSort(a, first, last, key);
      return;
    }
    depth--;
    const cut = partitionPivot(a, first, last, key);
    introsortLoop(a, cut, last, depth, key);
    last = cut;
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function partitionPivot(a: Int32Array, first: number, last: number, key: Uint8Array): number {
  const mid = first + ((last - first) >> 1);
  moveMedianToFirst(a, first, first + 1, mid, last - 1, key);
  return unguardedPartition(a, first + 1, last, first, key);
}

function moveMedianToFirst(
  a: Int32Array,
  result: number,
  x: number,
  y: number,
  z: number,
  key: Uint8Array,
): void {
  const kx = key[a[x]];
  const ky = key[a[y]];
  const kz = key[a[z]];
  if (kx < ky) {
    if (ky < kz) swap(a, result, y);
    else if (kx < kz) swap(a, result, z);
    else swap(a, result, x);
  } else if (kx < kz) swap(a, result, x);
  else if (ky < kz) swap(a, result, z);
  else swap(a, result, y);
}

function unguardedPartition(
  a: Int32Array,
  first: number,
  last: number,
  pivot: number,
  key: Uint8Array,
): number {
  const kp = key[a[pivot]];
  for (;;) {
    while (key[a[first]] < kp) first++;
    last--;
    while (kp < key[a[last]]) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

function finalInsertionSort(a: Int32Array, first: number, last: number, key: Uint8Array): void {
  if (last - first > THRESHOLD) {
    insertionSort(a, first, first + THRESHOLD, key);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(a, i, key);
  } else {
    insertionSort(a, first, last, key);
  }
}

function insertionSort(a: Int32Array, first: number, last: number, key: Uint8Array): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    const v = a[i];
    if (key[v] < key[a[first]]) {
      a.copyWithin(first + 1, first, i);
      a[first] = v;
    } else {
      unguardedLinearInsert(a, i, key);
    }
  }
}

function unguardedLinearInsert(a: Int32Array, last: number, key: Uint8Array): void {
  const v = a[last];
  const kv = key[v];
  let next = last - 1;
  while (kv < key[a[next]]) {
    a[last] = a[next];
    last = next;
    next--;
  }
  a[last] = v;
}

// Heapsort as libstdc++'s __partial_sort(first, last, last): make_heap, then sort_heap.
function heapSort(a: Int32Array, first: number, last: number, key: Uint8Array): void {
  const len = last - first;
  if (len >= 2) {
    for (let parent = (len - 2) >> 1; ; parent--) {
      adjustHeap(a, first, parent, len, a[first + parent], key);
      if (parent === 0) break;
    }
  }
  while (last - first > 1) {
    last--;
    const v = a[last];
    a[last] = a[first];
    adjustHeap(a, first, 0, last - first, v, key);
  }
}

function adjustHeap(
  a: Int32Array,
  first: number,
  hole: number,
  len: number,
  value: number,
  key: Uint8Array,
): void {
  const top = hole;
  let child = hole;
  while (child < (len - 1) >> 1) {
    child = 2 * (child + 1);
    if (key[a[first + child]] < key[a[first + child - 1]]) child--;
    a[first + hole] = a[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === (len - 2) >> 1) {
    child = 2 * (child + 1);
    a[first + hole] = a[first + child - 1];
    hole = child - 1;
  }
  // push_heap
  let parent = (hole - 1) >> 1;
  while (hole > top && key[a[first + parent]] < key[value]) {
    a[first + hole] = a[first + parent];
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  a[first + hole] = value;
}
