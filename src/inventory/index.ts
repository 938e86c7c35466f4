/** What is installed in an image: OS package databases read from layers, their versions and diffs. */
export * from "./versions/index.js";
