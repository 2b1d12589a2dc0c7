/**
 * Runs `repetitions` rounds; each round runs every subject once, in turn, starting one further along each round.
 * On a shared machine the load drifts: interleaving the systems' repetitions exposes each to the same drift,
 * which keeps the ratios of one run honest where running one system's repetitions back to back would not.
 */
export async function interleaved<T>(subjects: readonly T[], repetitions: number, run: (subject: T, repetition: number) => Promise<void>): Promise<void> {
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    for (let offset = 0; offset < subjects.length; offset += 1) {
      const subject = subjects[(repetition + offset) % subjects.length];
      if (subject !== undefined) await run(subject, repetition);
    }
  }
}
