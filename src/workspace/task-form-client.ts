/**
 * Runs in the browser on a task's page (bundled by form-assets.ts; the CSP allows no inline script): imports the
 * task's Camunda Form and its data, read from the page's JSON blocks, into form-js, and on submit checks the form
 * as Tasklist would, then sends the values as JSON in the page's own POST form with its CSRF token. The server
 * checks everything again; this only spares a round trip.
 */

interface FormJsForm {
  importSchema(schema: unknown, data?: unknown): Promise<unknown>;
  submit(): { data: Record<string, unknown>; errors: Record<string, unknown> };
  on(event: 'submit', callback: (e: { data: Record<string, unknown>; errors: Record<string, unknown> }) => void): void;
}

declare global {
  interface Window {
    FormJs?: { Form: new (options: { container: Element }) => FormJsForm };
  }
}

function json(id: string): unknown {
  return JSON.parse(document.getElementById(id)?.textContent ?? 'null');
}

async function start(): Promise<void> {
  const container = document.getElementById('aufgabe-formular');
  const post = document.getElementById('aufgabe-abschliessen');
  const message = document.getElementById('formular-meldung');
  if (!container || !(post instanceof HTMLFormElement) || !message || !window.FormJs) return;
  const values = post.elements.namedItem('werte');
  const button = post.querySelector('button[type=submit]');
  if (!(values instanceof HTMLInputElement) || !(button instanceof HTMLButtonElement)) return;

  const form = new window.FormJs.Form({ container });
  await form.importSchema(json('formular-schema'), json('formular-daten'));
  // form-js labels its own <form> nowhere; the heading above names it for screen readers.
  container.querySelector('form')?.setAttribute('aria-labelledby', 'formular-titel');
  button.disabled = false;

  // Enter in a field submits form-js's own form, the button ours: both end here.
  form.on('submit', ({ data, errors }) => {
    const invalid = Object.keys(errors);
    if (invalid.length) {
      message.textContent = `Bitte prüfen Sie ${invalid.length === 1 ? 'das markierte Feld' : `die ${invalid.length} markierten Felder`}.`;
      container
        .querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors select, .fjs-has-errors textarea')
        ?.focus();
      return;
    }
    message.textContent = '';
    values.value = JSON.stringify(data);
    button.disabled = true;
    post.submit();
  });
  post.addEventListener('submit', (e) => {
    e.preventDefault();
    form.submit();
  });
}

start().catch(() => {
  const message = document.getElementById('formular-meldung');
  if (message) message.textContent = 'Das Formular konnte nicht geladen werden. Bitte laden Sie die Seite neu.';
});

export {};
