// The register form: choosing a model shows its category; choosing an owner proposes the next
// free tag of its series (the server puts both on the options), unless a tag was typed.
(function () {
  "use strict";
  var model = document.querySelector("select[name=model_id]");
  var owner = document.querySelector("select[name=owner_id]");
  var tag = document.querySelector("input[name=tag]");
  var category = document.getElementById("model-category");
  var proposal = document.getElementById("tag-proposal");

  function showCategory() {
    var o = model.options[model.selectedIndex];
    var name = o ? o.getAttribute("data-category") : "";
    category.textContent = name ? category.getAttribute("data-text") + " " + name : "";
  }
  if (model && category) {
    model.addEventListener("change", showCategory);
    showCategory();
  }

  var proposed = tag && proposal && !proposal.hidden ? tag.value : null;
  function proposeTag() {
    var o = owner.options[owner.selectedIndex];
    var next = o ? o.getAttribute("data-next-tag") : null;
    // Only an empty field or our own earlier proposal is replaced: never what was typed.
    if (!next || (tag.value && tag.value !== proposed)) { return; }
    tag.value = next;
    proposed = next;
    proposal.hidden = false;
  }
  if (owner && tag && proposal) {
    owner.addEventListener("change", proposeTag);
    if (!tag.value) { proposeTag(); }
  }
})();
