#!/usr/bin/env bash
# bazel run //tools:report_screenshot
# Writes the progress report (output/report.html, with the applications'
# pictures) and checks it in a real browser: Debian's Chromium, headless,
# takes a screenshot (output/report.png). Needs `sudo apt-get install chromium`.
# Fails if the browser cannot render the page or a picture on it is broken.
set -euo pipefail
cd "${BUILD_WORKSPACE_DIRECTORY:-.}"
[ -f WORKSPACE ] || { echo "error: run it with: bazel run //tools:report_screenshot" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: no Chromium; install it with: sudo apt-get install chromium" >&2; exit 2; }

progress="${RUNFILES_DIR:-$0.runfiles}/dlcourse/tools/progress"
[ -x "$progress" ] || progress=bazel-bin/tools/progress
"$progress" --html > /dev/null
page="$PWD/output/report.html"
shot="$PWD/output/report.png"
rm -f "$shot"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --allow-file-access-from-files)
"$browser" "${flags[@]}" --window-size=1280,2400 --screenshot="$shot" "file://$page" > /dev/null 2>&1 || true
[ -s "$shot" ] || { echo "FAIL: Chromium wrote no screenshot of $page" >&2; exit 1; }

# Broken pictures: ask the browser itself how many <img> failed to load.
dom=$("$browser" "${flags[@]}" --virtual-time-budget=5000 --run-all-compositor-stages-before-draw \
  --dump-dom "file://$page" 2>/dev/null || true)
grep -q "your progress" <<< "$dom" || { echo "FAIL: Chromium did not render $page" >&2; exit 1; }
images=$(grep -o '<img ' <<< "$dom" | wc -l)
missing=0
while IFS= read -r src; do
  [ -f "output/$src" ] || { echo "missing picture: output/$src" >&2; missing=$((missing + 1)); }
done < <(grep -o '<img src="[^"]*"' "$page" | sed 's/<img src="//; s/"$//')
[ "$missing" -eq 0 ] || { echo "FAIL: $missing picture(s) missing" >&2; exit 1; }
echo "Report: $page ($images pictures); screenshot: $shot"
