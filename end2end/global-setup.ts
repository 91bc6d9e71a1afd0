// Waits until Flare answers (the web server's own check covers start-up; this guards
// against a server that accepts connections before its first page renders).
export default async function globalSetup() {
  const port = Number(process.env.FLARE_E2E_PORT ?? 3100);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/login`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Flare did not answer on port ${port} within 60 s`);
}
