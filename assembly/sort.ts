// In-place ascending sort of n values of type T (f64 values, packed i64
// keys) at p: insertion sort below 16, else quicksort on the middle pivot.

export function sortAscending<T>(p: usize, n: i32): void {
  const size = <usize>sizeof<T>();
  if (n < 16) {
    for (let i = 1; i < n; i++) {
      const v = load<T>(p + <usize>i * size);
      let j = i - 1;
      while (j >= 0 && load<T>(p + <usize>j * size) > v) {
        store<T>(p + <usize>(j + 1) * size, load<T>(p + <usize>j * size));
        j--;
      }
      store<T>(p + <usize>(j + 1) * size, v);
    }
    return;
  }
  const pivot = load<T>(p + <usize>(n >> 1) * size);
  let i = 0;
  let j = n - 1;
  while (i <= j) {
    while (load<T>(p + <usize>i * size) < pivot) i++;
    while (load<T>(p + <usize>j * size) > pivot) j--;
    if (i <= j) {
      const t = load<T>(p + <usize>i * size);
      store<T>(p + <usize>i * size, load<T>(p + <usize>j * size));
      store<T>(p + <usize>j * size, t);
      i++;
      j--;
    }
  }
  if (j > 0) sortAscending<T>(p, j + 1);
  if (i < n - 1) sortAscending<T>(p + <usize>i * size, n - i);
}
