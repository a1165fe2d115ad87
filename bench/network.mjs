// Network benchmarks are added with the net module (issue 3/4/7).
export async function networkRows() {
  return [];
}
