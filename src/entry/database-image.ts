// Builds the embedded database's prepared image (src/db/embedded-image.ts); run by scripts/build.mjs.
import { buildDatabaseImage, DATABASE_IMAGE } from "../db/embedded-image.ts";

// The image is copied into DATA_DIR as it is: its folders and files for this user alone.
process.umask(0o077);
const began = performance.now();
const { regions } = await buildDatabaseImage();
console.log(`embedded database image prepared in ${((performance.now() - began) / 1000).toFixed(1)} s (${regions} divisions): ${DATABASE_IMAGE}`);
