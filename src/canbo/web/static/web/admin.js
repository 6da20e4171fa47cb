/* The admin's language switch (templates/admin/base_site.html): choosing a language submits
   the form (no inline handler: the content security policy forbids them). */
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("form.canbo-language select")) {
    select.form.submit();
  }
});
