// Vigil's one script: progressive enhancement only; every page reads and works without it.
// Filters a staff-directory <select> as the user types into the search box linked to it (data-filter-for).
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input[data-filter-for]")) {
    const select = document.getElementById(box.dataset.filterFor);
    if (!select) continue;
    box.addEventListener("input", () => {
      const needle = box.value.trim().toLowerCase();
      for (const option of select.options) {
        option.hidden = needle !== "" && !option.text.toLowerCase().includes(needle);
      }
    });
  }
});
