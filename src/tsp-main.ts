/** `deskphone tsp`: placeholder until the TSP client lands (see docs/tsp.md). */
export async function tspMain(_argv: string[]): Promise<number> {
  console.error('deskphone tsp: the TSP client is not wired yet (docs/tsp.md describes the protocol)');
  return 2;
}
