#!/usr/bin/env node
// The Action's entry (action.yml runs the bundle built from this file: npm run build:action).
import { runAction } from "./run.js";

process.exitCode = await runAction({ stdout: process.stdout, env: process.env });
