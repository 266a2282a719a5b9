/**
 * The new-task page's script, served at /assets/new-task.js (the Content-Security-Policy allows
 * no inline script). It shows only the chosen access mode's fieldset and disables the others so
 * their inputs are not submitted; without it the "Show the fields" button does the same through
 * the server.
 */
export const NEW_TASK_SCRIPT = `'use strict';
for (const select of document.querySelectorAll('select[data-access-select]')) {
  const side = select.dataset.accessSelect;
  const show = () => {
    for (const fieldset of document.querySelectorAll('fieldset[data-side="' + side + '"]')) {
      const on = fieldset.dataset.access === select.value;
      fieldset.hidden = !on;
      fieldset.disabled = !on;
    }
  };
  select.addEventListener('change', show);
  show();
}
for (const button of document.querySelectorAll('[data-without-script]')) button.hidden = true;
`;
