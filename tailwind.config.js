/** Tailwind CSS configuration: `make generate` builds static/css/app.css from
 *  static/src/app.css, scanning the templ views for the classes they use. */
module.exports = {
  content: ["./views/**/*.templ", "./views/**/*.go", "./handlers/**/*.go", "./static/js/app.js"],
  darkMode: "media",
  theme: {
    extend: {},
  },
  plugins: [],
};
