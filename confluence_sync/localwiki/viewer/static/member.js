// The member's side of the viewer: tick a task on a page, edit a page and save it.
// Every save is a REST call with the member's session cookie (the viewer only prepares the
// new body: see viewer/edit.py); a 409 from REST means someone else saved meanwhile.
"use strict";

(function () {
  const CONFLICT =
    "Someone else saved this page meanwhile, so your change was not saved. " +
    "Reload the page to see their version, then make your change again.";

  function message(box, text, withReload) {
    box.hidden = false;
    box.textContent = text + " ";
    if (withReload) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "reload";
      button.textContent = "Reload";
      button.addEventListener("click", () => window.location.reload());
      box.appendChild(button);
    }
  }

  function banner() {
    let box = document.getElementById("member-message");
    if (!box) {
      box = document.createElement("div");
      box.id = "member-message";
      box.className = "editor-message";
      box.setAttribute("role", "alert");
      const main = document.querySelector("main");
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }

  async function answerText(response) {
    try {
      const data = await response.json();
      if (data.message) return data.message;
      if (data.errors && data.errors.length) return data.errors[0].title || data.errors[0].detail;
    } catch (ignored) {
      // not JSON: the status says enough
    }
    return "the wiki answered " + response.status;
  }

  // Ask the viewer for the REST call that stores the change, then make it as the member.
  // Resolves to "saved" or "conflict"; throws an Error with the wiki's words otherwise.
  async function saveThroughRest(prepareUrl, payload) {
    const headers = { "Content-Type": "application/json", "X-Atlassian-Token": "no-check" };
    const prepared = await fetch(prepareUrl, {
      method: "POST",
      headers: headers,
      credentials: "same-origin",
      body: JSON.stringify(payload),
    });
    if (!prepared.ok) throw new Error(await answerText(prepared));
    const call = (await prepared.json()).request;
    const saved = await fetch(call.url, {
      method: call.method,
      headers: headers,
      credentials: "same-origin",
      body: JSON.stringify(call.json),
    });
    if (saved.status === 409) return "conflict";
    if (!saved.ok) throw new Error(await answerText(saved));
    return "saved";
  }

  // -- the page view: task boxes ---------------------------------------------------------
  function pageTasks() {
    // The page's own tasks, in document order; a report's rows belong to other pages.
    return Array.from(document.querySelectorAll(".wiki-body li.task > input[type=checkbox]")).filter(
      (box) => !box.closest(".macro-report, .tasks-report, [data-report]"),
    );
  }

  function setUpTicks() {
    const body = document.body;
    if (!body.dataset.tickUrl) return;
    const boxes = pageTasks();
    boxes.forEach((box, index) => {
      box.disabled = false;
      box.title = "Mark as done or not done";
      box.addEventListener("change", async () => {
        const complete = box.checked;
        boxes.forEach((other) => (other.disabled = true));
        const payload = {
          version: Number(body.dataset.version),
          index: index,
          count: boxes.length,
          complete: complete,
        };
        try {
          const outcome = await saveThroughRest(body.dataset.tickUrl, payload);
          if (outcome === "saved") {
            window.location.reload();
            return;
          }
          box.checked = !complete;
          message(banner(), CONFLICT, true);
        } catch (error) {
          box.checked = !complete;
          boxes.forEach((other) => (other.disabled = false));
          message(banner(), "The task was not saved: " + error.message, false);
        }
      });
    });
  }

  // -- the editor ------------------------------------------------------------------------
  function caretAt(node, offset) {
    const range = document.createRange();
    range.setStart(node, offset || 0);
    range.collapse(true);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Instructional text goes away when the member starts writing there, as in Confluence.
  // The caret stays where it was; an emptied block keeps a <br> so the caret has a line.
  function dropPlaceholder(placeholder) {
    const parent = placeholder.parentNode;
    const index = Array.prototype.indexOf.call(parent.childNodes, placeholder);
    placeholder.remove();
    if (!parent.textContent.trim() && !parent.querySelector("br, .atom")) {
      parent.insertBefore(document.createElement("br"), parent.childNodes[index] || null);
    }
    caretAt(parent, index);
  }

  function placeholderAtCaret() {
    const selection = window.getSelection();
    if (!selection.rangeCount) return null;
    const node = selection.anchorNode;
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".text-placeholder") : null;
  }

  // Enter in a task copies the task's id and state to the new one; a new task is open.
  function freshTasks(editor) {
    const seen = new Set();
    editor.querySelectorAll("ul.inline-task-list > li").forEach((item) => {
      const id = item.dataset.inlineTaskId;
      if (id && seen.has(id)) {
        delete item.dataset.inlineTaskId;
        delete item.dataset.taskUuid;
        item.classList.remove("checked");
      } else if (id) {
        seen.add(id);
      }
    });
  }

  // "[]" and a space at the start of a paragraph make it a task, as Confluence's editor
  // does (its action items are "created by typing [] followed by the text": the page's hint
  // says so; see justmiles/go-markdown2confluence#56 for the behaviour described by users).
  const TASK_MARK = /^\[\][ \u00a0]/;

  function autoformatTask() {
    const selection = window.getSelection();
    if (!selection.rangeCount) return;
    const at = selection.anchorNode;
    const element = at && (at.nodeType === 1 ? at : at.parentElement);
    const block = element && element.closest("p");
    if (!block || !block.closest(".member-section") || !TASK_MARK.test(block.textContent)) return;
    let first = block.firstChild; // the mark is in the paragraph's first text
    while (first && first.nodeType !== 3) first = first.firstChild;
    if (!first || !TASK_MARK.test(first.data)) return;
    first.data = first.data.slice(3);
    const item = document.createElement("li");
    while (block.firstChild) item.appendChild(block.firstChild);
    if (!item.textContent && !item.querySelector(".atom")) item.appendChild(document.createElement("br"));
    const previous = block.previousElementSibling;
    if (previous && previous.matches("ul.inline-task-list")) {
      previous.appendChild(item); // a task right after a task list joins it
      block.remove();
    } else {
      const list = document.createElement("ul");
      list.className = "inline-task-list";
      list.appendChild(item);
      block.replaceWith(list);
    }
    const last = item.lastChild;
    if (last && last.nodeType === 3) caretAt(last, last.data.length);
    else caretAt(item, item.childNodes.length);
  }

  function addTask(editor) {
    const item = document.createElement("li");
    item.appendChild(document.createElement("br"));
    const selection = window.getSelection();
    const at = selection.rangeCount ? selection.anchorNode : null;
    const element = at && (at.nodeType === 1 ? at : at.parentElement);
    const inSection = element && element.closest(".member-section");
    const task = element && element.closest("ul.inline-task-list > li");
    if (task && inSection) {
      task.after(item);
    } else {
      const list = document.createElement("ul");
      list.className = "inline-task-list";
      list.appendChild(item);
      const section = inSection || editor.querySelector(".member-section");
      let block = element;
      while (block && block.parentElement !== section) block = block.parentElement;
      if (block && inSection) block.after(list);
      else section.appendChild(list);
    }
    item.closest(".member-section").focus(); // the button had the focus: typing goes here
    caretAt(item);
  }

  function setUpEditor() {
    const editor = document.getElementById("editor");
    if (!editor) return;
    document.execCommand("defaultParagraphSeparator", false, "p");
    const box = document.getElementById("editor-message");
    editor.addEventListener("click", (event) => {
      const placeholder = event.target.closest(".text-placeholder");
      if (placeholder && editor.contains(placeholder)) {
        dropPlaceholder(placeholder);
        return;
      }
      const item = event.target.closest("ul.inline-task-list > li");
      if (item && event.clientX < item.getBoundingClientRect().left + 22) {
        item.classList.toggle("checked"); // the box is drawn left of the item's text
        event.preventDefault();
      }
    });
    editor.addEventListener("beforeinput", () => {
      const placeholder = placeholderAtCaret();
      if (placeholder) dropPlaceholder(placeholder);
    });
    editor.addEventListener("input", () => {
      autoformatTask();
      freshTasks(editor);
    });
    document.getElementById("add-task").addEventListener("click", () => addTask(editor));
    const save = document.getElementById("save-page");
    save.addEventListener("click", async () => {
      save.disabled = true;
      freshTasks(editor);
      const sections = Array.from(editor.querySelectorAll(".member-section")).map((s) => s.innerHTML);
      try {
        const payload = { version: Number(editor.dataset.version), sections: sections };
        const outcome = await saveThroughRest(editor.dataset.editorUrl, payload);
        if (outcome === "saved") {
          window.location.assign(editor.dataset.viewUrl);
          return;
        }
        message(box, CONFLICT, true);
      } catch (error) {
        message(box, "The page was not saved: " + error.message, false);
        save.disabled = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpTicks();
    setUpEditor();
  });
})();
