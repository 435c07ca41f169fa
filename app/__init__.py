"""The interfaces people use: the `precedent` command and the Streamlit app."""
