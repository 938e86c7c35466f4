/** Path helpers shared by the kinds' name rules. Paths use "/" separators. */

export const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

export const dirName = (path: string): string => {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
};

/** `dir/name`, or `name` at the root. */
export const joinPath = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);

export const isYamlPath = (path: string): boolean => /\.ya?ml$/i.test(path);

/** True when a directory above `path` is a Helm chart's `templates/` (its parent holds a Chart.yaml). */
export function isUnderHelmTemplates(path: string, tree: { has(path: string): boolean }): boolean {
  const parts = path.split("/");
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] !== "templates") continue;
    const chart = parts.slice(0, i).join("/");
    if (tree.has(joinPath(chart, "Chart.yaml")) || tree.has(joinPath(chart, "Chart.yml"))) return true;
  }
  return false;
}
