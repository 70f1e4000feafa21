#!/usr/bin/env node
// Built CLI entry. (Tests and contributors run src/main.ts through tsx instead.)
import { run } from '../dist/esm/main.js';

await run();
