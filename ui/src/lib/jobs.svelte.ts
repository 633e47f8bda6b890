// Job events from the Rust side. A fast import can finish before the UI has learned its job
// id, so the latest event of every job is kept and replayed when the id arrives.

import { api } from "./api";
import { app } from "./state.svelte";
import type { JobEvent } from "./bindings";

const latest = new Map<number, JobEvent>();
export const jobErrors = $state({ message: null as string | null });

async function apply(e: JobEvent): Promise<void> {
  if (!app.job || app.job.id !== e.job) return;
  if (e.type === "progress") {
    app.job.progress = e.progress;
  } else if (e.type === "finished") {
    app.lastReport = e.output.report;
    app.job = null;
    // Ready for the next import; the recipe and overrides stay.
    app.importOptions.paths = [];
    app.project = await api.currentProject();
    app.corpusVersion++;
  } else {
    jobErrors.message = e.error;
    app.job = null;
    app.project = await api.currentProject();
    app.corpusVersion++;
  }
}

/** Starts listening for job events (once, at start-up). */
export async function listenForJobs(): Promise<void> {
  await api.onJob((e) => {
    const prev = latest.get(e.job);
    // A late progress event never replaces the final one.
    if (!prev || prev.type === "progress") latest.set(e.job, e);
    void apply(e);
  });
}

/** Called when a job's id is known: applies what already happened to it. */
export function started(id: number): void {
  app.job = { id, progress: null, cancelling: false };
  jobErrors.message = null;
  const e = latest.get(id);
  if (e) void apply(e);
}
